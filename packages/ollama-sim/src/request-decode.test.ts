import { describe, expect, it } from 'vitest';
import { isOllamaSimError, type OllamaSimError } from './errors.js';
import { decodeRequest } from './request-decode.js';

function errorOf(run: () => unknown): OllamaSimError {
  try {
    run();
  } catch (error) {
    if (isOllamaSimError(error, 'OLLAMA_SIM_HTTP')) return error;
    throw error;
  }
  throw new Error('no error');
}

describe('decodeRequest', () => {
  it('returns the object', () => {
    expect(decodeRequest('{"model":"m","prompt":"hi","keep_alive":"5m"}', 'GenerateRequest')).toEqual({
      model: 'm',
      prompt: 'hi',
      keep_alive: '5m',
    });
  });

  it('answers an empty body with "missing request body"', () => {
    const error = errorOf(() => decodeRequest('', 'ChatRequest'));
    expect([error.status, error.message]).toEqual([400, 'missing request body']);
  });

  it('reports type errors with Go field paths', () => {
    expect(errorOf(() => decodeRequest('{"model":5}', 'ChatRequest')).message).toBe(
      'json: cannot unmarshal number into Go struct field ChatRequest.model of type string',
    );
    expect(
      errorOf(() => decodeRequest('{"messages":[{"role":"user","content":[1]}]}', 'ChatRequest')).message,
    ).toBe('json: cannot unmarshal array into Go struct field ChatRequest.messages.content of type string');
    expect(
      errorOf(() =>
        decodeRequest(
          '{"messages":[{"role":"assistant","tool_calls":[{"function":{"name":"f","arguments":"{}"}}]}]}',
          'ChatRequest',
        ),
      ).message,
    ).toBe(
      'json: cannot unmarshal string into Go struct field ChatRequest.messages.tool_calls.function.arguments of type map[string]interface {}',
    );
    expect(errorOf(() => decodeRequest('[1]', 'EmbedRequest')).message).toBe(
      'json: cannot unmarshal array into Go value of type api.EmbedRequest',
    );
  });

  it('rejects a unit-less keep_alive string with Go text', () => {
    const error = errorOf(() => decodeRequest('{"model":"m","keep_alive":"3600"}', 'GenerateRequest'));
    expect([error.status, error.message]).toEqual([400, 'time: missing unit in duration "3600"']);
  });

  it('replaces lone surrogates with U+FFFD like Go', () => {
    expect(decodeRequest('{"prompt":"a\\ud800b"}', 'GenerateRequest')).toEqual({ prompt: 'a\ufffdb' });
  });
});
