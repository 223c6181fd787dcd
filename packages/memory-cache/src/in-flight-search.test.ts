import { describe, expect, it } from 'vitest';
import { controlledSearch } from '../test/controlled-search.js';
import { isMemoryCacheError, MemoryCacheError } from './errors.js';
import { MemorySearchCache } from './memory-search-cache.js';

describe('single-flight', () => {
  it('runs 100 concurrent identical searches once; one miss, 99 joins, one shared answer', async () => {
    const cache = new MemorySearchCache<string[]>();
    const { search, calls } = controlledSearch<string[]>();
    const pending = Array.from({ length: 100 }, (_, index) =>
      cache.searchWithStatus(index % 2 === 0 ? 'Alice' : ' alice ', search),
    );
    expect(calls).toHaveLength(1);
    calls[0]?.resolve(['memory 1']);
    const answers = await Promise.all(pending);
    expect(answers.filter((answer) => answer.status === 'miss')).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 'joined')).toHaveLength(99);
    expect(new Set(answers.map((answer) => answer.results)).size).toBe(1);
    expect(cache.stats()).toMatchObject({ misses: 1, joins: 99, entries: 1, inFlight: 0 });
  });

  it('does not cache errors: every waiter gets the error, the next call searches again', async () => {
    const cache = new MemorySearchCache<string>();
    const { search, calls } = controlledSearch<string>();
    const failure = new Error('database locked');
    const first = cache.search('q', search);
    const second = cache.search('q', search);
    calls[0]?.reject(failure);
    await expect(first).rejects.toBe(failure);
    await expect(second).rejects.toBe(failure);
    expect(cache.stats().entries).toBe(0);
    const retry = cache.search('q', search);
    expect(calls).toHaveLength(2);
    calls[1]?.resolve('ok');
    expect(await retry).toBe('ok');
  });

  it('turns a synchronous throw of the search function into a rejection', async () => {
    const cache = new MemorySearchCache<string>();
    const search = (): string => {
      throw new RangeError('bad k');
    };
    await expect(cache.search('q', search)).rejects.toThrow(RangeError);
    expect(cache.stats().inFlight).toBe(0);
  });
});

describe('partial aborts', () => {
  it('rejects only the caller that aborted; the shared search goes on for the others and is stored', async () => {
    const cache = new MemorySearchCache<string>();
    const { search, calls } = controlledSearch<string>();
    const leaving = new AbortController();
    const a = cache.search('q', search, { signal: leaving.signal });
    const b = cache.search('q', search, { signal: new AbortController().signal });
    const c = cache.search('q', search);
    const reason = new Error('user pressed Ctrl-C');
    leaving.abort(reason);
    const error = await a.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MemoryCacheError);
    expect(isMemoryCacheError(error, 'MEMORY_CACHE_ABORTED')).toBe(true);
    expect(isMemoryCacheError(error, 'MEMORY_CACHE_LISTENER_FAILED')).toBe(false);
    expect(error).toMatchObject({ name: 'AbortError', code: 'MEMORY_CACHE_ABORTED', cause: reason });
    expect(calls[0]?.signal.aborted).toBe(false);
    calls[0]?.resolve('shared');
    expect(await Promise.all([b, c])).toEqual(['shared', 'shared']);
    expect((await cache.searchWithStatus('q', search)).status).toBe('hit');
  });

  it('aborts the shared search when the last caller leaves, and the next caller starts afresh', async () => {
    const cache = new MemorySearchCache<string>();
    const { search, calls } = controlledSearch<string>();
    const first = new AbortController();
    const second = new AbortController();
    const a = cache.search('q', search, { signal: first.signal });
    const b = cache.search('q', search, { signal: second.signal });
    first.abort();
    expect(calls[0]?.signal.aborted).toBe(false);
    second.abort();
    await expect(a).rejects.toMatchObject({ name: 'AbortError', code: 'MEMORY_CACHE_ABORTED' });
    await expect(b).rejects.toMatchObject({ name: 'AbortError', code: 'MEMORY_CACHE_ABORTED' });
    expect(calls[0]?.signal.aborted).toBe(true);
    expect(calls[0]?.signal.reason).toMatchObject({ code: 'MEMORY_CACHE_ABORTED' });
    expect(cache.stats().inFlight).toBe(0);

    const fresh = cache.searchWithStatus('q', search);
    expect(calls).toHaveLength(2);
    calls[0]?.resolve('abandoned, late'); // a search that ignored its signal: not stored
    calls[1]?.resolve('fresh');
    expect(await fresh).toEqual({ results: 'fresh', status: 'miss' });
    expect(await cache.search('q', search)).toBe('fresh');
  });

  it('rejects a caller whose signal is already aborted without starting a search', async () => {
    const cache = new MemorySearchCache<string>();
    const { search, calls } = controlledSearch<string>();
    const reason = new Error('too late');
    await expect(cache.search('q', search, { signal: AbortSignal.abort(reason) })).rejects.toMatchObject({
      code: 'MEMORY_CACHE_ABORTED',
      cause: reason,
    });
    expect(calls).toHaveLength(0);
  });

  it('ignores an abort that comes after the answer', async () => {
    const cache = new MemorySearchCache<string>();
    const { search, calls } = controlledSearch<string>();
    const controller = new AbortController();
    const pending = cache.search('q', search, { signal: controller.signal });
    calls[0]?.resolve('done');
    expect(await pending).toBe('done');
    controller.abort();
    expect(await cache.search('q', search)).toBe('done');
  });
});
