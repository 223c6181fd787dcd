import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { controlledSearch, countingSearch } from '../test/controlled-search.js';
import { MemorySearchCache } from './memory-search-cache.js';

describe('MemorySearchCache options', () => {
  it.each([
    [{ ttlMs: 0 }, /Expected `ttlMs` to be a positive finite number, got `0` \(number\)/],
    [{ ttlMs: -1 }, /`ttlMs`.*`-1`/],
    [{ ttlMs: Number.POSITIVE_INFINITY }, /`ttlMs`.*`Infinity`/],
    [{ ttlMs: '30000' }, /`ttlMs`.*`"30000"` \(string\)/],
    [{ maxEntries: 0 }, /Expected `maxEntries` to be an integer from 1 and up, got `0`/],
    [{ maxEntries: 2.5 }, /`maxEntries`.*`2\.5`/],
    [{ staleWhileRevalidateMs: -5 }, /`staleWhileRevalidateMs`.*`-5`/],
    [{ normalize: 'nfkc' }, /Expected `normalize` to be a function, got `"nfkc"`/],
    [
      { ttl: 5 },
      /^Unknown option `ttl` in `options`: expected one of ttlMs, maxEntries, staleWhileRevalidateMs, normalize$/,
    ],
  ])('rejects %o with a TypeError naming the option and value', (options, message) => {
    expect(() => new MemorySearchCache(options as never)).toThrow(TypeError);
    expect(() => new MemorySearchCache(options as never)).toThrow(message);
  });

  it('rejects bad call arguments with a TypeError', async () => {
    const cache = new MemorySearchCache<string>();
    const { search } = countingSearch();
    await expect(cache.search(42 as never, search)).rejects.toThrow(
      /Expected `query` to be a string, got `42`/,
    );
    await expect(cache.search('q', 'search' as never)).rejects.toThrow(/`searchFn` to be a function/);
    await expect(cache.search('q', search, { scope: 7 as never })).rejects.toThrow(/`scope` to be a string/);
    await expect(cache.search('q', search, { params: { where: () => true } })).rejects.toThrow(
      /`params\.where` to be JSON-like data/,
    );
    const broken = new MemorySearchCache<string>({ normalize: () => 5 as never });
    await expect(broken.search('q', search)).rejects.toThrow(/`normalize\(query\)` to be a string/);
  });

  it('rejects an unknown key of call options, naming it, before searching', async () => {
    const cache = new MemorySearchCache<string>();
    const { search, counter } = countingSearch();
    await expect(cache.search('q', search, { k: 5 } as never)).rejects.toThrow(
      new TypeError('Unknown option `k` in `options`: expected one of scope, params, signal'),
    );
    await expect(cache.searchWithStatus('q', search, { timeoutMs: 5 } as never)).rejects.toThrow(
      'Unknown option `timeoutMs`',
    );
    expect(() => cache.invalidate('user-1', { remote: true } as never)).toThrow(
      'Unknown option `remote` in `options`: expected one of fromRemote',
    );
    expect(counter.calls).toBe(0);
    expect(cache.stats()).toMatchObject({ hits: 0, misses: 0, invalidations: 0 });
  });
});

describe('MemorySearchCache keys', () => {
  it('serves a re-worded query (case, spacing, width) from the first search, which got the normalised text', async () => {
    const cache = new MemorySearchCache<string>();
    const { search, counter } = countingSearch();
    const first = await cache.searchWithStatus('  Where does ALICE   live? ', search);
    const second = await cache.searchWithStatus('where does alice live?', search);
    const third = await cache.searchWithStatus('ｗｈｅｒｅ ｄｏｅｓ ａｌｉｃｅ ｌｉｖｅ?', search);
    expect(first).toEqual({ results: 'where does alice live?#1', status: 'miss' });
    expect(second).toEqual({ results: 'where does alice live?#1', status: 'hit' });
    expect(third.status).toBe('hit');
    expect(counter.queries).toEqual(['where does alice live?']);
  });

  it('never shares between different params, and shares whatever the key order', async () => {
    const cache = new MemorySearchCache<string>();
    const { search, counter } = countingSearch();
    await cache.search('paris', search, { params: { k: 5, filters: { kind: 'fact', tags: ['a', 'b'] } } });
    await cache.search('paris', search, { params: { k: 10, filters: { kind: 'fact', tags: ['a', 'b'] } } });
    const reordered = await cache.searchWithStatus('paris', search, {
      params: { filters: { tags: ['a', 'b'], kind: 'fact' }, k: 5 },
    });
    await cache.search('paris', search, { params: { k: 5, filters: { kind: 'fact', tags: ['b', 'a'] } } });
    expect(reordered).toEqual({ results: 'paris#1', status: 'hit' });
    expect(counter.calls).toBe(3);
    expect(counter.params[0]).toEqual({ k: 5, filters: { kind: 'fact', tags: ['a', 'b'] } });
  });

  it('keeps scopes apart, and omitting the scope means the scope "default"', async () => {
    const cache = new MemorySearchCache<string>();
    const { search, counter } = countingSearch();
    await cache.search('paris', search, { scope: 'alice' });
    await cache.search('paris', search, { scope: 'bob' });
    await cache.search('paris', search);
    expect((await cache.searchWithStatus('paris', search, { scope: 'default' })).status).toBe('hit');
    expect(counter.calls).toBe(3);
  });

  it('uses a custom normaliser for the key and the search', async () => {
    const cache = new MemorySearchCache<string>({ normalize: (query) => query });
    const { search, counter } = countingSearch();
    await cache.search('Paris', search);
    await cache.search('paris', search);
    expect(counter.queries).toEqual(['Paris', 'paris']);
  });
});

describe('MemorySearchCache TTL', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps a result 30 s by default, then searches again', async () => {
    const cache = new MemorySearchCache<string>();
    const { search, counter } = countingSearch();
    await cache.search('paris', search);
    vi.advanceTimersByTime(29_999);
    expect(await cache.searchWithStatus('paris', search)).toEqual({ results: 'paris#1', status: 'hit' });
    vi.advanceTimersByTime(1);
    expect(await cache.searchWithStatus('paris', search)).toEqual({ results: 'paris#2', status: 'miss' });
    expect(counter.calls).toBe(2);
  });

  it('honours ttlMs, counting from when the result was stored', async () => {
    const cache = new MemorySearchCache<string>({ ttlMs: 1_000 });
    const { search, calls } = controlledSearch<string>();
    const pending = cache.search('paris', search);
    vi.advanceTimersByTime(5_000); // a slow search: its result is stored when it lands
    calls[0]?.resolve('r1');
    await pending;
    vi.advanceTimersByTime(999);
    expect((await cache.searchWithStatus('paris', search)).status).toBe('hit');
    vi.advanceTimersByTime(1);
    const next = cache.searchWithStatus('paris', search);
    expect(calls).toHaveLength(2);
    calls[1]?.resolve('r2');
    expect(await next).toEqual({ results: 'r2', status: 'miss' });
  });
});

describe('MemorySearchCache stale-while-revalidate', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  async function expiredCache() {
    const cache = new MemorySearchCache<string>({ ttlMs: 1_000, staleWhileRevalidateMs: 5_000 });
    const { search, calls } = controlledSearch<string>();
    const first = cache.search('paris', search);
    calls[0]?.resolve('old');
    await first;
    vi.advanceTimersByTime(1_000);
    return { cache, search, calls };
  }

  it('serves the expired result to everyone while exactly one refresh runs', async () => {
    const { cache, search, calls } = await expiredCache();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => cache.searchWithStatus('paris', search)),
    );
    expect(answers).toEqual(Array.from({ length: 5 }, () => ({ results: 'old', status: 'stale' })));
    expect(calls).toHaveLength(2);
    calls[1]?.resolve('new');
    await vi.waitFor(() => expect(cache.stats().inFlight).toBe(0));
    expect(await cache.searchWithStatus('paris', search)).toEqual({ results: 'new', status: 'hit' });
    expect(calls).toHaveLength(2);
    expect(cache.stats()).toMatchObject({ staleServes: 5, hits: 1, misses: 1 });
  });

  it('stops serving stale once the window has passed; the caller then joins the running refresh', async () => {
    const { cache, search, calls } = await expiredCache();
    await cache.search('paris', search); // starts the refresh
    vi.advanceTimersByTime(5_000);
    const late = cache.searchWithStatus('paris', search);
    calls[1]?.resolve('new');
    expect(await late).toEqual({ results: 'new', status: 'joined' });
    expect(calls).toHaveLength(2);
  });

  it('counts a failed refresh, keeps serving stale, and tries one refresh again', async () => {
    const { cache, search, calls } = await expiredCache();
    await cache.search('paris', search);
    calls[1]?.reject(new Error('index busy'));
    await vi.waitFor(() => expect(cache.stats().refreshFailures).toBe(1));
    expect(await cache.search('paris', search)).toBe('old');
    expect(await cache.search('paris', search)).toBe('old');
    expect(calls).toHaveLength(3);
  });
});

describe('MemorySearchCache bound', () => {
  it('holds at most maxEntries, dropping the least recently used', async () => {
    const cache = new MemorySearchCache<string>({ maxEntries: 3 });
    const { search, counter } = countingSearch();
    for (const query of ['a', 'b', 'c']) await cache.search(query, search);
    await cache.search('a', search); // a is now the most recently used; b the least
    await cache.search('d', search);
    expect(cache.stats().entries).toBe(3);
    expect((await cache.searchWithStatus('a', search)).status).toBe('hit');
    expect((await cache.searchWithStatus('b', search)).status).toBe('miss');
    expect(counter.calls).toBe(5);
    expect(cache.stats().entries).toBe(3);
  });

  it('holds 1,000 by default', async () => {
    const cache = new MemorySearchCache<string>();
    const { search } = countingSearch();
    for (let index = 0; index < 1_200; index++) await cache.search(`query ${index}`, search);
    expect(cache.stats().entries).toBe(1_000);
  });
});

describe('MemorySearchCache stats', () => {
  it('counts hits, misses and joins, with hitRate = hits / (hits + misses)', async () => {
    const cache = new MemorySearchCache<string>();
    expect(cache.stats().hitRate).toBe(0);
    const { search, calls } = controlledSearch<string>();
    const both = Promise.all([cache.search('a', search), cache.search('a', search)]);
    calls[0]?.resolve('r');
    await both;
    await cache.search('a', search);
    await cache.search('a', search);
    await cache.search('a', search);
    expect(cache.stats()).toEqual({
      entries: 1,
      inFlight: 0,
      hits: 3,
      misses: 1,
      joins: 1,
      staleServes: 0,
      invalidations: 0,
      refreshFailures: 0,
      hitRate: 0.75,
    });
  });
});

describe('MemorySearchCache types', () => {
  it('requires params when the search function needs them', async () => {
    const cache = new MemorySearchCache<string[]>();
    const byK = async (_query: string, params: { k: number }) =>
      Array.from({ length: params.k }, (_, index) => String(index));
    // @ts-expect-error: params are required by byK
    await expect(cache.search('q', byK)).rejects.toThrow(TypeError);
    expect(await cache.search('q', byK, { params: { k: 2 } })).toEqual(['0', '1']);
    expect(await cache.search('q', async () => ['x'])).toEqual(['x']);
  });
});
