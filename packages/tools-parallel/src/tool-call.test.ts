import type { ToolCall } from '@lunar/ollama-stream';
import { describe, expect, it } from 'vitest';
import { createCallId, type OpenAIToolCall, parseToolCall } from './tool-call.js';

describe('parseToolCall', () => {
  it("reads Ollama's shape: arguments as an object, index inside function", () => {
    const parsed = parseToolCall(
      { id: 'call_abc12345', function: { index: 0, name: 'get_weather', arguments: { city: 'Tokyo' } } },
      0,
    );
    expect(parsed).toEqual({
      callId: 'call_abc12345',
      name: 'get_weather',
      args: { city: 'Tokyo' },
      error: undefined,
    });
  });

  it("reads OpenAI's shape: arguments as a JSON string", () => {
    const parsed = parseToolCall(
      {
        id: 'call_1',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city":"Paris","days":2}' },
      },
      0,
    );
    expect(parsed.args).toEqual({ city: 'Paris', days: 2 });
    expect(parsed.error).toBeUndefined();
  });

  it('treats missing, null and empty-string arguments as no arguments', () => {
    for (const args of [undefined, null, '', '  ']) {
      const parsed = parseToolCall({ function: { name: 'now', arguments: args } } as OpenAIToolCall, 0);
      expect(parsed.args).toEqual({});
      expect(parsed.error).toBeUndefined();
    }
  });

  it('reports bad JSON as invalid-arguments the model can act on', () => {
    const parsed = parseToolCall(
      { id: 'c', type: 'function', function: { name: 'get_weather', arguments: '{city:' } },
      0,
    );
    expect(parsed.error?.code).toBe('TOOLS_INVALID_ARGUMENTS');
    expect(parsed.error?.message).toMatch(
      /^Invalid arguments for get_weather: not valid JSON \(.+\)\. Fix them/,
    );
    expect(parsed.error?.cause).toBeInstanceOf(SyntaxError);
  });

  it.each([
    ['"[1,2]"', '[1,2]', 'an array'],
    ['"42"', '42', 'a number'],
    ['"null"', 'null', 'null'],
    ['an array', [1], 'an array'],
    ['a number', 7, 'a number'],
  ])('reports arguments of %s as not an object', (_label, args, kind) => {
    const parsed = parseToolCall({ function: { name: 'f', arguments: args } } as unknown as ToolCall, 0);
    expect(parsed.error?.code).toBe('TOOLS_INVALID_ARGUMENTS');
    expect(parsed.error?.message).toContain(`expected a JSON object, got ${kind}`);
  });

  it('generates an id in Ollama form when the call has none', () => {
    const parsed = parseToolCall({ function: { name: 'f', arguments: {} } }, 0);
    expect(parsed.callId).toMatch(/^call_[a-z0-9]{8}$/);
    const ids = new Set(Array.from({ length: 1000 }, createCallId));
    expect(ids.size).toBe(1000);
  });

  it('keeps a call without a name, for a not-found result', () => {
    const parsed = parseToolCall({ function: { arguments: {} } } as unknown as ToolCall, 0);
    expect(parsed.name).toBe('');
  });

  it('throws a TypeError naming the position for something that is not a call', () => {
    expect(() => parseToolCall(null as unknown as ToolCall, 3)).toThrow(TypeError);
    expect(() => parseToolCall({ name: 'f' } as unknown as ToolCall, 3)).toThrow(/tool call 3/);
  });
});
