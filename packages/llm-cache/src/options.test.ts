import { describe, expect, it } from 'vitest';
import { instantUpstream } from '../test/fake-upstream.js';
import { LLMCache } from './llm-cache.js';
import { MemoryCacheStore } from './memory-store.js';
import type { LLMCacheOptions } from './options.js';

describe('LLMCache options', () => {
  it.each<[LLMCacheOptions, string]>([
    [{ maxEntries: 0 }, 'Expected `maxEntries` to be a positive integer, got 0'],
    [{ maxBytes: 1.5 }, 'Expected `maxBytes` to be a positive integer, got 1.5'],
    [{ maxEntryBytes: -1 }, 'Expected `maxEntryBytes` to be a positive integer, got -1'],
    [{ maxBytes: 100, maxEntryBytes: 200 }, 'Expected `maxEntryBytes` (200) to be at most `maxBytes` (100)'],
    [{ ttlMs: 0 }, 'Expected `ttlMs` to be a positive number of ms (or Infinity), got 0'],
    [{ ttlMs: Number.NaN }, 'Expected `ttlMs` to be a positive number of ms (or Infinity), got NaN'],
    [
      { policy: 'sometimes' as never },
      "Expected `policy` to be one of 'deterministic', 'always', got \"sometimes\"",
    ],
    [{ namespace: 'a b' }, 'Expected `namespace` to be 1-64 letters, digits'],
    [{ namespace: '' }, 'Expected `namespace` to be 1-64 letters, digits'],
    [{ store: {} as never }, 'Expected `store` to have a get() method, got an object'],
    [
      { store: { get() {}, set() {}, delete() {} } as never, maxBytes: 10 },
      '`maxBytes` sizes the default memory store',
    ],
    [{ onStoreError: 'log' as never }, 'Expected `onStoreError` to be a function, got "log"'],
    [{ leaseMs: 0 }, 'Expected `leaseMs` to be a positive integer, got 0'],
    [{ ttl: 5 } as never, 'Unknown option `ttl`'],
  ])('rejects %o', (options, message) => {
    expect(() => new LLMCache(options)).toThrow(TypeError);
    expect(() => new LLMCache(options)).toThrow(message);
  });

  it('accepts Infinity as ttlMs and a function policy', () => {
    expect(() => new LLMCache({ ttlMs: Number.POSITIVE_INFINITY, policy: () => true })).not.toThrow();
  });

  it('rejects bad call options, naming the option', async () => {
    const cache = new LLMCache();
    const request = { model: 'm', prompt: 'x', options: { temperature: 0 } };
    const start = instantUpstream([]).start;
    await expect(cache.stream(request, start, { mode: 'reload' as never })).rejects.toThrow(
      "Expected `mode` to be one of 'default', 'no-cache', 'no-store', 'refresh', 'bypass', got \"reload\"",
    );
    await expect(cache.stream(request, start, { signal: {} as never })).rejects.toThrow(
      'Expected `signal` to be an AbortSignal, got an object',
    );
    await expect(cache.stream(request, start, { pace: 'yes' as never })).rejects.toThrow(TypeError);
    await expect(cache.stream(request, 'start' as never)).rejects.toThrow(
      'Expected `start` to be a function',
    );
    await expect(cache.getOrCompute({ model: 7 } as never, async () => ({}))).rejects.toThrow(
      'request.model must be a non-empty string, got 7',
    );
  });

  it('rejects an unknown key of call options, naming it, before anything runs', async () => {
    const cache = new LLMCache();
    const request = { model: 'm', prompt: 'x', options: { temperature: 0 } };
    const upstream = instantUpstream([]);
    await expect(cache.stream(request, upstream.start, { timeoutMs: 5 } as never)).rejects.toThrow(
      new TypeError('Unknown option `timeoutMs`: expected one of mode, signal, pace, route'),
    );
    // `pace` only replays streams: getOrCompute does not take it.
    await expect(cache.getOrCompute(request, async () => ({}), { pace: true } as never)).rejects.toThrow(
      'Unknown option `pace`: expected one of mode, signal, route',
    );
    expect(upstream.calls).toBe(0);
    expect(cache.stats()).toMatchObject({ hits: 0, misses: 0, bypasses: 0 });
  });

  it('rejects an unknown key of the memory store options', () => {
    expect(() => new MemoryCacheStore({ maxItems: 5 } as never)).toThrow(
      new TypeError('Unknown option `maxItems`: expected one of maxEntries, maxBytes'),
    );
  });
});
