import { describe, expect, it, vi } from 'vitest';
import { controlledSearch, countingSearch } from '../test/controlled-search.js';
import { MemoryCacheError } from './errors.js';
import { ALL_SCOPES, MemorySearchCache } from './memory-search-cache.js';

describe('invalidation: the write race', () => {
  it('a search starts, a write invalidates, the search resolves: its callers get it, the next search misses', async () => {
    const cache = new MemorySearchCache<string>();
    const { search, calls } = controlledSearch<string>();
    const before = cache.searchWithStatus('alice', search, { scope: 'alice' });
    cache.invalidate('alice'); // the memory store wrote to alice
    calls[0]?.resolve('computed before the write');
    expect(await before).toEqual({ results: 'computed before the write', status: 'miss' });
    expect(cache.stats().entries).toBe(0);

    const after = cache.searchWithStatus('alice', search, { scope: 'alice' });
    expect(calls).toHaveLength(2);
    calls[1]?.resolve('computed after the write');
    expect(await after).toEqual({ results: 'computed after the write', status: 'miss' });
    expect(await cache.search('alice', search, { scope: 'alice' })).toBe('computed after the write');
  });

  it('a caller arriving after the write does not join the search that started before it', async () => {
    const cache = new MemorySearchCache<string>();
    const { search, calls } = controlledSearch<string>();
    const before = cache.search('q', search);
    cache.invalidate();
    const after = cache.searchWithStatus('q', search);
    expect(calls).toHaveLength(2);
    calls[1]?.resolve('new');
    calls[0]?.resolve('old'); // resolves last, still must not overwrite
    expect(await before).toBe('old');
    expect(await after).toEqual({ results: 'new', status: 'miss' });
    expect(await cache.search('q', search)).toBe('new');
  });

  it('does not abort the retired search: its callers still get their answer', async () => {
    const cache = new MemorySearchCache<string>();
    const { search, calls } = controlledSearch<string>();
    const pending = cache.search('q', search);
    cache.invalidate();
    expect(calls[0]?.signal.aborted).toBe(false);
    calls[0]?.resolve('r');
    expect(await pending).toBe('r');
  });
});

describe('invalidation: scoped versus global', () => {
  async function filledCache() {
    const cache = new MemorySearchCache<string>();
    const { search, counter } = countingSearch();
    for (const scope of ['alice', 'bob']) {
      await cache.search('paris', search, { scope });
      await cache.search('rome', search, { scope });
    }
    return { cache, search, counter };
  }

  it('invalidate(scope) drops that scope only', async () => {
    const { cache, search } = await filledCache();
    cache.invalidate('alice');
    expect(cache.stats()).toMatchObject({ entries: 2, invalidations: 1 });
    expect((await cache.searchWithStatus('paris', search, { scope: 'alice' })).status).toBe('miss');
    expect((await cache.searchWithStatus('paris', search, { scope: 'bob' })).status).toBe('hit');
    expect((await cache.searchWithStatus('rome', search, { scope: 'bob' })).status).toBe('hit');
  });

  it('a write to any scope also drops the searches across all scopes (ALL_SCOPES), in flight too', async () => {
    const { cache, search } = await filledCache();
    await cache.search('paris', search, { scope: ALL_SCOPES });
    const { search: slow, calls } = controlledSearch<string>();
    const running = cache.searchWithStatus('rome', slow, { scope: ALL_SCOPES });
    cache.invalidate('bob', { fromRemote: true });
    calls[0]?.resolve('computed before the write');
    expect(await running).toEqual({ results: 'computed before the write', status: 'miss' });
    expect((await cache.searchWithStatus('paris', search, { scope: ALL_SCOPES })).status).toBe('miss');
    expect((await cache.searchWithStatus('rome', search, { scope: ALL_SCOPES })).status).toBe('miss');
    expect((await cache.searchWithStatus('paris', search, { scope: 'alice' })).status).toBe('hit');
  });

  it('invalidate() drops every scope', async () => {
    const { cache, search } = await filledCache();
    cache.invalidate();
    expect(cache.stats().entries).toBe(0);
    expect((await cache.searchWithStatus('paris', search, { scope: 'bob' })).status).toBe('miss');
  });

  it('a scoped invalidation leaves searches in flight for other scopes alone', async () => {
    const cache = new MemorySearchCache<string>();
    const { search, calls } = controlledSearch<string>();
    const forAlice = cache.search('q', search, { scope: 'alice' });
    const forBob = cache.search('q', search, { scope: 'bob' });
    cache.invalidate('alice');
    const bobAgain = cache.searchWithStatus('q', search, { scope: 'bob' });
    expect(calls).toHaveLength(2);
    calls[0]?.resolve('a');
    calls[1]?.resolve('b');
    await Promise.all([forAlice, forBob]);
    expect(await bobAgain).toEqual({ results: 'b', status: 'joined' });
    expect((await cache.searchWithStatus('q', search, { scope: 'bob' })).status).toBe('hit');
    const aliceAgain = cache.searchWithStatus('q', search, { scope: 'alice' });
    calls[2]?.resolve('a2');
    expect(await aliceAgain).toEqual({ results: 'a2', status: 'miss' });
  });

  it('keeps working after evictions and re-invalidations of the same scope', async () => {
    const cache = new MemorySearchCache<string>({ maxEntries: 2 });
    const { search } = countingSearch();
    for (const query of ['a', 'b', 'c', 'd']) await cache.search(query, search, { scope: 'alice' });
    cache.invalidate('alice');
    cache.invalidate('alice');
    cache.invalidate('nobody');
    expect(cache.stats()).toMatchObject({ entries: 0, invalidations: 3 });
    await cache.search('a', search, { scope: 'alice' });
    expect((await cache.searchWithStatus('a', search, { scope: 'alice' })).status).toBe('hit');
  });

  it('drops a stale-while-revalidate entry and aborts its refresh, which nobody waits for', async () => {
    vi.useFakeTimers();
    try {
      const cache = new MemorySearchCache<string>({ ttlMs: 100, staleWhileRevalidateMs: 1_000 });
      const { search, calls } = controlledSearch<string>();
      const first = cache.search('q', search);
      calls[0]?.resolve('old');
      await first;
      vi.advanceTimersByTime(100);
      expect(await cache.search('q', search)).toBe('old');
      cache.invalidate();
      expect(calls[1]?.signal.aborted).toBe(true);
      const next = cache.searchWithStatus('q', search);
      calls[2]?.resolve('new');
      expect(await next).toEqual({ results: 'new', status: 'miss' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('rejects a scope that is not a string', () => {
    expect(() => new MemorySearchCache().invalidate(5 as never)).toThrow(/Expected `scope` to be a string/);
  });
});

describe('invalidation: the hook for other replicas', () => {
  it('tells listeners of local invalidations, not of remote ones, which still apply', async () => {
    const cache = new MemorySearchCache<string>();
    const { search } = countingSearch();
    const events: unknown[] = [];
    const unsubscribe = cache.onInvalidate((event) => events.push(event));
    await cache.search('q', search, { scope: 'alice' });
    cache.invalidate('alice');
    cache.invalidate();
    await cache.search('q', search, { scope: 'alice' });
    cache.invalidate('alice', { fromRemote: true });
    expect(cache.stats()).toMatchObject({ entries: 0, invalidations: 3 });
    expect(events).toEqual([{ scope: 'alice' }, { scope: undefined }]);
    unsubscribe();
    cache.invalidate('alice');
    expect(events).toHaveLength(2);
  });

  it('applies the invalidation and calls every listener even when one throws, then reports it', async () => {
    const cache = new MemorySearchCache<string>();
    const { search } = countingSearch();
    await cache.search('q', search);
    const failure = new Error('redis down');
    const seen: string[] = [];
    cache.onInvalidate(() => {
      throw failure;
    });
    cache.onInvalidate(() => seen.push('second'));
    let thrown: unknown;
    try {
      cache.invalidate();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(MemoryCacheError);
    expect(thrown).toMatchObject({ code: 'MEMORY_CACHE_LISTENER_FAILED', cause: failure });
    expect(seen).toEqual(['second']);
    expect(cache.stats().entries).toBe(0);
  });

  it('rejects a listener that is not a function', () => {
    expect(() => new MemorySearchCache().onInvalidate('x' as never)).toThrow(/`listener` to be a function/);
  });
});
