import { describe, expect, it } from 'vitest';
import { goJson } from './go-json.js';

describe('goJson', () => {
  it("escapes what Go's json.Marshal escapes, in values and keys, and nothing else", () => {
    const value = { '<k>': '<b> & "q" \u2028\u2029 é 🚀 \\ /', n: [1.5, true, null] };
    const text = goJson(value);
    expect(text).toBe(
      '{"\\u003ck\\u003e":"\\u003cb\\u003e \\u0026 \\"q\\" \\u2028\\u2029 é 🚀 \\\\ /","n":[1.5,true,null]}',
    );
    expect(JSON.parse(text)).toEqual(value);
  });

  it('writes the bytes Ollama writes for a chat chunk', () => {
    // A line as Ollama's streamResponse writes it (json.Marshal), HTML-escaped characters included.
    const ollamaLine =
      '{"model":"m","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":"a \\u003c b \\u0026\\u0026 c"},"done":false}';
    expect(goJson(JSON.parse(ollamaLine))).toBe(ollamaLine);
  });

  it('is JSON.stringify when nothing needs escaping', () => {
    const value = { message: { role: 'assistant', content: 'plain text, "quoted"' } };
    expect(goJson(value)).toBe(JSON.stringify(value));
  });
});
