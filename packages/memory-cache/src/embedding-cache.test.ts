import { afterEach, describe, expect, it, vi } from 'vitest';
import { EmbeddingCache } from './embedding-cache.js';
import { isMemoryCacheError, MemoryCacheError } from './errors.js';

/** A fake /api/embed: one vector per text, recording each batch it was asked for. */
function fakeEmbed(dimensions = 4) {
  const batches: string[][] = [];
  const embed = async (texts: string[]) => {
    batches.push(texts);
    return texts.map((text) => Array.from({ length: dimensions }, (_, index) => text.length + index / 4));
  };
  return { embed, batches };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('EmbeddingCache options', () => {
  it.each([
    [{ ttlMs: 0 }, /Expected `ttlMs` to be a positive finite number, got `0`/],
    [{ maxBytes: -1 }, /Expected `maxBytes` to be an integer from 1 and up, got `-1`/],
    [{ maxBytes: '1mb' }, /`maxBytes`.*`"1mb"` \(string\)/],
    [{ maxEntries: 10 }, /^Unknown option `maxEntries` in `options`: expected one of ttlMs, maxBytes$/],
  ])('rejects %o with a TypeError naming the option and value', (options, message) => {
    expect(() => new EmbeddingCache(options as never)).toThrow(TypeError);
    expect(() => new EmbeddingCache(options as never)).toThrow(message);
  });
});

describe('EmbeddingCache get and set', () => {
  it('stores as Float32Array and hands out copies the caller may change', () => {
    const cache = new EmbeddingCache();
    cache.set('nomic-embed-text', 'paris', [0.5, -1.25, 3]);
    const first = cache.get('nomic-embed-text', 'paris');
    expect(first).toBeInstanceOf(Float32Array);
    expect(Array.from(first ?? [])).toEqual([0.5, -1.25, 3]);
    first?.fill(0);
    expect(Array.from(cache.get('nomic-embed-text', 'paris') ?? [])).toEqual([0.5, -1.25, 3]);
  });

  it('keys on the model and the exact text', () => {
    const cache = new EmbeddingCache();
    cache.set('model-a', 'Paris', new Float32Array([1]));
    expect(cache.get('model-b', 'Paris')).toBeUndefined();
    expect(cache.get('model-a', 'paris')).toBeUndefined();
    expect(cache.get('model-a', 'Paris ')).toBeUndefined();
    expect(cache.get('model-a', 'Paris')).toEqual(new Float32Array([1]));
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 3, hitRate: 0.25, entries: 1 });
  });

  it('rejects an embedding that is not numbers, naming the place', () => {
    const cache = new EmbeddingCache();
    expect(() => cache.set('m', 't', 'vector' as never)).toThrow(/`embedding` to be a Float32Array/);
    expect(() => cache.set('m', 't', [1, Number.NaN])).toThrow(/`embedding\[1\]` to be a finite number/);
    expect(() => cache.set(3 as never, 't', [1])).toThrow(/`model` to be a string/);
  });

  it('expires after ttlMs (24 h by default)', () => {
    vi.useFakeTimers();
    const cache = new EmbeddingCache();
    const short = new EmbeddingCache({ ttlMs: 1_000 });
    cache.set('m', 't', [1]);
    short.set('m', 't', [1]);
    vi.advanceTimersByTime(999);
    expect(short.get('m', 't')).toEqual(new Float32Array([1]));
    vi.advanceTimersByTime(1);
    expect(short.get('m', 't')).toBeUndefined();
    expect(short.stats().entries).toBe(0);
    vi.advanceTimersByTime(86_400_000 - 1_001);
    expect(cache.get('m', 't')).toEqual(new Float32Array([1]));
    vi.advanceTimersByTime(1);
    expect(cache.get('m', 't')).toBeUndefined();
  });
});

describe('EmbeddingCache byte bound', () => {
  // Each entry: 4 floats (16 B) + key "1:m\n<1 char>" (5 UTF-16 units, 10 B) + 96 B overhead = 122 B.
  const entryBytes = 122;

  it('never holds more than maxBytes, dropping the least recently used', () => {
    const cache = new EmbeddingCache({ maxBytes: entryBytes * 3 });
    for (const text of ['a', 'b', 'c']) cache.set('m', text, [1, 2, 3, 4]);
    expect(cache.stats()).toMatchObject({ entries: 3, bytes: entryBytes * 3 });
    cache.get('m', 'a');
    cache.set('m', 'd', [1, 2, 3, 4]);
    expect(cache.stats()).toMatchObject({ entries: 3, bytes: entryBytes * 3 });
    expect(cache.get('m', 'b')).toBeUndefined();
    expect(cache.get('m', 'a')).toEqual(new Float32Array([1, 2, 3, 4]));
    expect(cache.get('m', 'd')).toEqual(new Float32Array([1, 2, 3, 4]));
  });

  it('does not store one embedding larger than the whole bound', () => {
    const cache = new EmbeddingCache({ maxBytes: 1_000 });
    cache.set('m', 'small', [1]);
    cache.set('m', 'huge', new Float32Array(1_024));
    expect(cache.get('m', 'huge')).toBeUndefined();
    expect(cache.stats().bytes).toBeLessThanOrEqual(1_000);
  });
});

describe('EmbeddingCache getOrCompute', () => {
  it('sends only the missing texts, each once, in one batch, and answers in input order', async () => {
    const cache = new EmbeddingCache();
    const { embed, batches } = fakeEmbed();
    cache.set('m', 'bb', [9, 9, 9, 9]);
    const vectors = await cache.getOrCompute('m', ['a', 'bb', 'ccc', 'a'], embed);
    expect(batches).toEqual([['a', 'ccc']]);
    expect(vectors.map((vector) => vector[0])).toEqual([1, 9, 3, 1]);
    expect(vectors[0]).not.toBe(vectors[3]);
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 3, entries: 3 });

    const again = await cache.getOrCompute('m', ['ccc', 'a'], embed);
    expect(batches).toHaveLength(1);
    expect(again.map((vector) => vector[0])).toEqual([3, 1]);
  });

  it('passes the signal on, and does not call the model when already aborted', async () => {
    const cache = new EmbeddingCache();
    const { embed, batches } = fakeEmbed();
    const error = await cache
      .getOrCompute('m', ['a'], embed, { signal: AbortSignal.abort() })
      .catch((caught) => caught);
    expect(isMemoryCacheError(error, 'MEMORY_CACHE_ABORTED')).toBe(true);
    expect(error).toMatchObject({ name: 'AbortError' });
    expect(batches).toHaveLength(0);
    const controller = new AbortController();
    let received: AbortSignal | undefined;
    await cache.getOrCompute(
      'm',
      ['a'],
      async (texts, options) => {
        received = options.signal;
        return texts.map(() => [1]);
      },
      { signal: controller.signal },
    );
    expect(received).toBe(controller.signal);
  });

  it('rejects a batch answer of the wrong length, storing nothing', async () => {
    const cache = new EmbeddingCache();
    const error = await cache
      .getOrCompute('m', ['a', 'b'], async () => [[1]])
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MemoryCacheError);
    expect(error).toMatchObject({ code: 'MEMORY_CACHE_EMBEDDING_COUNT_MISMATCH' });
    expect(cache.stats().entries).toBe(0);
  });

  it('rejects bad texts with a TypeError naming the index', async () => {
    const cache = new EmbeddingCache();
    const { embed } = fakeEmbed();
    await expect(cache.getOrCompute('m', ['a', 5 as never], embed)).rejects.toThrow(
      /`texts\[1\]` to be a string/,
    );
    await expect(cache.getOrCompute('m', 'a' as never, embed)).rejects.toThrow(/`texts` to be an array/);
    await expect(cache.getOrCompute('m', ['a'], embed, { batchSize: 8 } as never)).rejects.toThrow(
      'Unknown option `batchSize` in `options`: expected one of signal',
    );
  });
});
