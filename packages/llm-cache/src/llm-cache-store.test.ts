import { describe, expect, it, vi } from 'vitest';
import { chatChunks, collect, instantUpstream, ManualUpstream } from '../test/fake-upstream.js';
import type { CacheEntry } from './cache-entry.js';
import type { CacheLease, CacheStore } from './cache-store.js';
import type { LLMCacheError } from './errors.js';
import { LLMCache } from './llm-cache.js';
import type { LLMRequest } from './types.js';

const request: LLMRequest = {
  model: 'llama3.2:3b',
  messages: [{ role: 'user', content: 'hi' }],
  options: { seed: 1 },
};

/** A store that keeps entries as JSON text, the way a networked store would, answering async. */
class JsonStore implements CacheStore {
  readonly data = new Map<string, string>();
  readonly ttls: number[] = [];
  async get(key: string): Promise<CacheEntry | undefined> {
    const text = this.data.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as CacheEntry);
  }
  async set(key: string, entry: CacheEntry, ttlMs: number): Promise<void> {
    this.ttls.push(ttlMs);
    this.data.set(key, JSON.stringify(entry));
  }
  async delete(key: string): Promise<void> {
    this.data.delete(key);
  }
}

describe('custom stores', () => {
  it('round-trips entries through JSON and passes the TTL', async () => {
    const store = new JsonStore();
    const cache = new LLMCache({ store, ttlMs: 5_000 });
    const upstream = instantUpstream(chatChunks(['a', 'b']));
    const original = await collect(await cache.stream(request, upstream.start));
    const hit = await cache.stream(request, upstream.start);
    expect(hit.status).toBe('hit');
    expect(await collect(hit)).toEqual(original);
    expect(store.ttls).toEqual([5_000]);
    const entry = JSON.parse([...store.data.values()][0] ?? '{}') as CacheEntry;
    expect(entry).toMatchObject({ version: 1, route: 'chat', streamed: true });
    expect(entry.timings).toHaveLength(3);
    expect(cache.stats()).toMatchObject({ entries: undefined, bytes: undefined, hits: 1, misses: 1 });
    await cache.delete(request);
    expect(store.data.size).toBe(0);
  });

  it('treats a failing store as a miss and reports it', async () => {
    const errors: LLMCacheError[] = [];
    const cause = new Error('ECONNREFUSED');
    const store: CacheStore = {
      get: () => Promise.reject(cause),
      set: () => {
        throw cause;
      },
      delete: () => {},
    };
    const cache = new LLMCache({ store, onStoreError: (error) => errors.push(error) });
    const stream = await cache.stream(request, instantUpstream(chatChunks(['a'])).start);
    expect(stream.status).toBe('miss');
    expect(await collect(stream)).toHaveLength(2);
    expect(errors.map((error) => [error.code, error.message, error.cause])).toEqual([
      ['LLM_CACHE_STORE_FAILED', 'store get() failed', cause],
      ['LLM_CACHE_STORE_FAILED', 'store set() failed', cause],
    ]);
    expect(cache.stats().storeErrors).toBe(2);
  });

  it('ignores and reports an entry of the wrong shape', async () => {
    const onStoreError = vi.fn();
    const store: CacheStore = { get: () => ({ chunks: 'nope' }) as never, set: () => {}, delete: () => {} };
    const cache = new LLMCache({ store, onStoreError });
    const stream = await cache.stream(request, instantUpstream(chatChunks(['a'])).start);
    expect(stream.status).toBe('miss');
    await collect(stream);
    expect(onStoreError.mock.calls[0]?.[0]).toMatchObject({ code: 'LLM_CACHE_INVALID_ENTRY' });
  });
});

/**
 * Two processes sharing one store with a lease per key: the shape a Redis store will have
 * (SET NX PX for the lease, a notification when the answer lands).
 */
class SharedStore extends JsonStore {
  readonly #leases = new Set<string>();
  readonly #waiters = new Map<string, Array<(entry: CacheEntry | undefined) => void>>();

  override async set(key: string, entry: CacheEntry, ttlMs: number): Promise<void> {
    await super.set(key, entry, ttlMs);
    for (const wake of this.#waiters.get(key) ?? []) wake(entry);
    this.#waiters.delete(key);
  }

  async acquire(key: string): Promise<CacheLease | undefined> {
    if (this.#leases.has(key)) return undefined;
    this.#leases.add(key);
    return {
      release: () => {
        this.#leases.delete(key);
        for (const wake of this.#waiters.get(key) ?? []) wake(undefined);
        this.#waiters.delete(key);
      },
    };
  }

  waitFor(
    key: string,
    options: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<CacheEntry | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(undefined), options.timeoutMs);
      const list = this.#waiters.get(key) ?? [];
      list.push((entry) => {
        clearTimeout(timer);
        resolve(entry);
      });
      this.#waiters.set(key, list);
    });
  }
}

describe('joining across processes through a store lease', () => {
  it('computes once for identical calls on two processes', async () => {
    const store = new SharedStore();
    const replicaA = new LLMCache({ store });
    const replicaB = new LLMCache({ store });
    const upstream = new ManualUpstream(chatChunks(['shared']));
    const onA = await replicaA.stream(request, upstream.start);
    const onB = replicaB.stream(request, upstream.start);
    expect(onA.status).toBe('miss');
    upstream.release();
    const fromA = await collect(onA);
    const streamB = await onB;
    expect(streamB.status).toBe('joined');
    expect(await collect(streamB)).toEqual(fromA);
    expect(upstream.calls).toBe(1);
    expect(store.ttls).toHaveLength(1); // B replayed A's answer; it did not write it again
    expect(replicaB.stats()).toMatchObject({ joins: 1, misses: 0 });
    const whole = await replicaB.getOrCompute(request, async () => ({
      model: 'x',
      response: 'other',
      done: true,
    }));
    expect(whole.status).toBe('hit');
  });

  it('computes on its own when the holder fails or the deadline passes', async () => {
    const store = new SharedStore();
    const replicaA = new LLMCache({ store });
    const replicaB = new LLMCache({ store, joinTimeoutMs: 50 });
    const failing = new ManualUpstream(chatChunks(['x']));
    const onA = await replicaA.stream(request, failing.start);
    const onB = replicaB.stream(request, instantUpstream(chatChunks(['from B'])).start);
    failing.failAfter(0, new Error('upstream died'));
    await expect(collect(onA)).rejects.toThrow('upstream died');
    const streamB = await onB;
    expect(streamB.status).toBe('miss');
    expect((await collect(streamB))[0]?.message?.content).toBe('from B');

    // A holder that never answers nor releases: B waits joinTimeoutMs, then computes.
    const stuck = new ManualUpstream(chatChunks(['never']));
    const other = { ...request, messages: [{ role: 'user', content: 'other' }] };
    const held = await replicaA.stream(other, stuck.start);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      let computed = 0;
      const late = replicaB.getOrCompute(other, async () => {
        computed++;
        return { model: 'm', response: 'B', done: true };
      });
      await vi.advanceTimersByTimeAsync(49);
      expect(computed).toBe(0);
      await vi.advanceTimersByTimeAsync(1);
      expect((await late).status).toBe('miss');
      expect(computed).toBe(1);
    } finally {
      vi.useRealTimers();
    }
    await held.return?.();
  });
});
