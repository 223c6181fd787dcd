import { describe, expect, it } from 'vitest';
import { cacheKey, canonicalRequest, inferRoute } from './cache-key.js';
import { canonicalForm } from './canonical-form.js';
import { isLLMCacheError, LLMCacheError } from './errors.js';
import type { LLMRequest } from './types.js';

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: { type: 'object', required: ['city'], properties: { city: { type: 'string' } } },
  },
};

/** A chat request that uses every field the key must see. */
function fullChat(): LLMRequest {
  return {
    model: 'llama3.2:3b',
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather in Tokyo?', images: ['aGVsbG8='] },
      {
        role: 'assistant',
        content: '',
        tool_calls: [
          { id: 'call_abc12345', function: { index: 0, name: 'get_weather', arguments: { city: 'Tokyo' } } },
        ],
      },
      { role: 'tool', content: '{"temp":21}', tool_name: 'get_weather' },
    ],
    tools: [weatherTool],
    format: { type: 'object', properties: { answer: { type: 'string' } } },
    think: false,
    options: { temperature: 0, seed: 42, top_k: 40, num_ctx: 4096, stop: ['\n\n'] },
  };
}

/** Same request, every object's keys written in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).reverse();
  return Object.fromEntries(entries.map(([key, item]) => [key, reverseKeys(item)]));
}

/** Deep copy with one change applied at a path. */
function changed(request: LLMRequest, change: (copy: Record<string, unknown>) => void): LLMRequest {
  const copy = structuredClone(request) as unknown as Record<string, unknown>;
  change(copy);
  return copy as unknown as LLMRequest;
}

describe('cacheKey', () => {
  it('has a versioned prefix, the namespace and a base64url SHA-256', () => {
    expect(cacheKey(fullChat())).toMatch(/^llmc1:default:[A-Za-z0-9_-]{43}$/);
    expect(cacheKey(fullChat(), 'chat', 'tenant-a')).toMatch(/^llmc1:tenant-a:/);
  });

  it('does not depend on key order at any level', () => {
    const request = fullChat();
    const reversed = reverseKeys(request) as LLMRequest;
    expect(JSON.stringify(reversed)).not.toBe(JSON.stringify(request));
    expect(cacheKey(reversed)).toBe(cacheKey(request));
  });

  it('ignores stream and keep_alive, and treats undefined fields as absent', () => {
    const request = fullChat();
    const transported = { ...request, stream: false, keep_alive: '10m', suffix: undefined };
    expect(cacheKey(transported)).toBe(cacheKey(request));
    expect(cacheKey({ ...request, stream: true, keep_alive: 0 })).toBe(cacheKey(request));
  });

  const changes: Array<[string, (copy: Record<string, unknown>) => void]> = [
    ['model', (copy) => (copy.model = 'qwen3:8b')],
    ['message order', (copy) => (copy.messages as unknown[]).reverse()],
    ['message content', (copy) => (message(copy, 1).content = 'Weather in Kyoto?')],
    ['message role', (copy) => (message(copy, 0).role = 'user')],
    ['message images', (copy) => (message(copy, 1).images = ['aGVsbG9v'])],
    ['tool call arguments', (copy) => (toolCall(copy).function.arguments = { city: 'Osaka' })],
    ['tool call name', (copy) => (toolCall(copy).function.name = 'get_time')],
    ['tool call id', (copy) => (toolCall(copy).id = 'call_zzz99999')],
    ['tool_name', (copy) => (message(copy, 3).tool_name = 'get_time')],
    ['tool_call_id', (copy) => (message(copy, 3).tool_call_id = 'call_abc12345')],
    ['message thinking', (copy) => (message(copy, 2).thinking = 'hmm')],
    ['tools', (copy) => (copy.tools = [])],
    ['tool description', (copy) => ((copy.tools as (typeof weatherTool)[])[0]!.function.description = 'x')],
    ['format', (copy) => (copy.format = 'json')],
    ['think', (copy) => (copy.think = 'high')],
    ['system', (copy) => (copy.system = 'You are terse.')],
    ['template', (copy) => (copy.template = '{{ .Prompt }}')],
    ['suffix', (copy) => (copy.suffix = '}')],
    ['raw', (copy) => (copy.raw = true)],
    ['prompt', (copy) => (copy.prompt = 'hello')],
    ['input', (copy) => (copy.input = ['hello'])],
    ['truncate', (copy) => (copy.truncate = false)],
    ['logprobs', (copy) => (copy.logprobs = true)],
    ['an unknown future field', (copy) => (copy.shift = false)],
  ];

  it.each(changes)('changes when the %s changes', (_name, change) => {
    const request = fullChat();
    expect(cacheKey(changed(request, change))).not.toBe(cacheKey(request));
  });

  const optionFields: Array<[string, unknown]> = [
    ['num_keep', 5],
    ['seed', 43],
    ['num_predict', 64],
    ['top_k', 41],
    ['top_p', 0.8],
    ['min_p', 0.05],
    ['typical_p', 0.9],
    ['repeat_last_n', 32],
    ['temperature', 0.1],
    ['repeat_penalty', 1.2],
    ['presence_penalty', 0.5],
    ['frequency_penalty', 0.5],
    ['stop', ['END']],
    ['num_ctx', 8192],
    ['num_batch', 256],
    ['num_gpu', 1],
    ['main_gpu', 1],
    ['use_mmap', false],
    ['num_thread', 4],
  ];

  it.each(optionFields)('changes when options.%s changes', (field, value) => {
    const request = fullChat();
    const other = changed(request, (copy) => {
      (copy.options as Record<string, unknown>)[field] = value;
    });
    expect(cacheKey(other)).not.toBe(cacheKey(request));
  });

  it('separates routes, even for requests that look alike', () => {
    const request: LLMRequest = { model: 'nomic-embed-text', prompt: 'hello' };
    expect(cacheKey(request, 'generate')).not.toBe(cacheKey(request, 'embeddings'));
    expect(cacheKey(request)).toBe(cacheKey(request, 'generate'));
  });

  it('separates namespaces', () => {
    expect(cacheKey(fullChat(), 'chat', 'a')).not.toBe(cacheKey(fullChat(), 'chat', 'b'));
  });

  it('keeps the model name as sent: a replay echoes it like Ollama does', () => {
    const request = fullChat();
    expect(cacheKey({ ...request, model: 'llama3.2' })).not.toBe(
      cacheKey({ ...request, model: 'llama3.2:latest' }),
    );
  });

  it('keys a byte-array image like the base64 text a client sends', () => {
    const bytes = new TextEncoder().encode('hello');
    const asBytes = { model: 'm', messages: [{ role: 'user', content: 'x', images: [bytes] }] };
    const asText = { model: 'm', messages: [{ role: 'user', content: 'x', images: ['aGVsbG8='] }] };
    expect(cacheKey(asBytes)).toBe(cacheKey(asText));
  });

  it('refuses requests that cannot be keyed, saying where', () => {
    expect(() => cacheKey(null as unknown as LLMRequest)).toThrow(/request must be an object, got null/);
    expect(() => cacheKey({ model: '' })).toThrow(/request.model must be a non-empty string/);
    const withBigInt = { model: 'm', prompt: 'x', options: { seed: 1n } } as unknown as LLMRequest;
    expect(() => cacheKey(withBigInt)).toThrow(LLMCacheError);
    expect(() => cacheKey(withBigInt)).toThrow('request.options.seed: a BigInt cannot be serialised as JSON');
    const cyclic: Record<string, unknown> = { model: 'm' };
    cyclic.format = cyclic;
    expect(() => cacheKey(cyclic as unknown as LLMRequest)).toThrow(/nested deeper than 64 levels/);
    let thrown: unknown;
    try {
      cacheKey(withBigInt);
    } catch (error) {
      thrown = error;
    }
    expect(isLLMCacheError(thrown, 'LLM_CACHE_INVALID_REQUEST')).toBe(true);
    expect(isLLMCacheError(thrown, 'LLM_CACHE_STORE_FAILED')).toBe(false);
    expect(isLLMCacheError(new Error('request.model'))).toBe(false);
  });

  it('infers the route from the request shape', () => {
    expect(inferRoute({ model: 'm', messages: [] })).toBe('chat');
    expect(inferRoute({ model: 'm', input: 'x' })).toBe('embed');
    expect(inferRoute({ model: 'm', prompt: 'x' })).toBe('generate');
    expect(canonicalRequest({ model: 'm', input: 'x' }).startsWith('5:embed{')).toBe(true);
  });
});

describe('canonicalForm', () => {
  /** The slow reference: JSON with sorted keys, i.e. what the server would see. */
  function sortedJson(value: unknown): string {
    const sorted = (item: unknown): unknown => {
      if (Array.isArray(item)) return item.map(sorted);
      if (typeof item !== 'object' || item === null) return item;
      const record = item as Record<string, unknown>;
      return Object.fromEntries(
        Object.keys(record)
          .sort()
          .map((key) => [key, sorted(record[key])]),
      );
    };
    return JSON.stringify(sorted(JSON.parse(JSON.stringify(value))));
  }

  const values: unknown[] = [
    'a',
    '',
    '1:a',
    '"1:a',
    ['a', 'b'],
    ['ab'],
    ['a', undefined],
    ['a', null],
    ['a', () => 1],
    { a: 1 },
    { a: '1' },
    { a: 1, b: undefined },
    { b: 1, a: 1 },
    { a: 1, b: 1 },
    { a: Number.NaN },
    { a: null },
    { a: -0 },
    { a: 0 },
    { 'a"': 1 },
    { '1:a': 1 },
    { a: { b: [1, 2] } },
    { a: { b: [2, 1] } },
    { a: new Date(0) },
    { a: '1970-01-01T00:00:00.000Z' },
    { a: Object('x') },
    { a: 'x' },
    { a: true },
    { a: 'true' },
    { a: [] },
    { a: {} },
    { a: new Map([[1, 2]]) },
    [{ a: 1 }, { a: 2 }],
    [{ a: 2 }, { a: 1 }],
    { ключ: 'значение 🌙' },
    { '': 'empty key' },
    1e21,
    1e-7,
    0.1,
  ];

  it('gives two values the same form exactly when their sorted JSON is the same', () => {
    for (const left of values) {
      for (const right of values) {
        const sameJson = sortedJson(left) === sortedJson(right);
        const sameForm = canonicalForm(left) === canonicalForm(right);
        expect(sameForm, `${sortedJson(left)} vs ${sortedJson(right)}`).toBe(sameJson);
      }
    }
  });

  it('leaves out top-level keys in omit, and only at the top', () => {
    const omit = new Set(['stream']);
    expect(canonicalForm({ a: 1, stream: true }, omit)).toBe(canonicalForm({ a: 1 }));
    expect(canonicalForm({ a: { stream: true } }, omit)).not.toBe(canonicalForm({ a: {} }));
  });
});

function message(copy: Record<string, unknown>, index: number): Record<string, unknown> {
  return (copy.messages as Record<string, unknown>[])[index]!;
}

function toolCall(copy: Record<string, unknown>): { id: string; function: Record<string, unknown> } {
  return (message(copy, 2).tool_calls as Array<{ id: string; function: Record<string, unknown> }>)[0]!;
}
