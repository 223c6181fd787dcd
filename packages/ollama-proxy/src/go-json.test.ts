import { describe, expect, it } from 'vitest';
import { goJson } from './go-json.js';

describe('goJson', () => {
  it('escapes what Go escapes and nothing else', () => {
    const value = { text: '<b> & "q" \u2028\u2029 é 🚀' };
    const text = goJson(value);
    expect(text).toBe('{"text":"\\u003cb\\u003e \\u0026 \\"q\\" \\u2028\\u2029 é 🚀"}');
    expect(JSON.parse(text)).toEqual(value);
  });
});
