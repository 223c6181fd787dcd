import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CacheEntry } from './cache-entry.js';
import { MemoryCacheStore } from './memory-store.js';

function entry(size: number): CacheEntry {
  return {
    version: 1,
    route: 'chat',
    chunks: [{ done: true }],
    streamed: false,
    timings: [],
    durationMs: 1,
    createdAt: 0,
    size,
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('MemoryCacheStore', () => {
  it('holds at most maxBytes, evicting least recently used entries', () => {
    const store = new MemoryCacheStore({ maxBytes: 1_000, maxEntries: 100 });
    for (let index = 0; index < 10; index++) store.set(`k${index}`, entry(300), Number.POSITIVE_INFINITY);
    expect(store.stats()).toEqual({ entries: 3, bytes: 900, evictions: 7 });
    expect(store.get('k9')).toMatchObject({ size: 300 });
    expect(store.get('k6')).toBeUndefined();
  });

  it('refuses an entry larger than maxBytes without evicting the others', () => {
    const store = new MemoryCacheStore({ maxBytes: 1_000 });
    store.set('small', entry(100), 1_000);
    store.set('huge', entry(5_000), 1_000);
    expect(store.get('huge')).toBeUndefined();
    expect(store.stats()).toMatchObject({ entries: 1, bytes: 100 });
  });

  it('expires entries after their TTL', () => {
    vi.useFakeTimers();
    const store = new MemoryCacheStore();
    store.set('a', entry(10), 1_000);
    store.set('forever', entry(10), Number.POSITIVE_INFINITY);
    vi.advanceTimersByTime(999);
    expect(store.get('a')).toMatchObject({ size: 10 });
    vi.advanceTimersByTime(2);
    expect(store.get('a')).toBeUndefined();
    vi.advanceTimersByTime(365 * 24 * 3_600_000);
    expect(store.get('forever')).toMatchObject({ size: 10 });
  });

  it('deletes and clears', () => {
    const store = new MemoryCacheStore();
    store.set('a', entry(10), 1_000);
    store.set('b', entry(10), 1_000);
    store.delete('a');
    expect(store.stats().entries).toBe(1);
    store.clear();
    expect(store.stats()).toMatchObject({ entries: 0, bytes: 0 });
  });

  it('rejects bad sizes', () => {
    expect(() => new MemoryCacheStore({ maxEntries: -1 })).toThrow(
      'Expected `maxEntries` to be a positive integer',
    );
  });
});
