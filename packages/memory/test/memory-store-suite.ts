import { afterEach, describe, expect, it, vi } from 'vitest';
import { HashEmbedder } from '../src/hash-embedder.js';
import { MAX_BATCH, MAX_METADATA_BYTES, MAX_TEXT_BYTES } from '../src/limits.js';
import type { CommonStoreOptions } from '../src/store-options.js';
import type { Embedder, MemoryStore } from '../src/types.js';
import { searchSuite } from './search-suite.js';

/** Opens a new, empty store of the engine under test (its own file, schema or database). */
export type OpenStore = (options: CommonStoreOptions) => Promise<MemoryStore>;

/** An embedder returning vectors of a length that can change between calls. */
function sizedEmbedder(initial: number): Embedder & { dimensions: number; calls: number } {
  return {
    dimensions: initial,
    calls: 0,
    async embed(texts) {
      this.calls++;
      return texts.map((_, index) =>
        Array.from({ length: this.dimensions }, (_, i) => (i === index ? 1 : 0.5)),
      );
    },
  };
}

const code = (value: string) => expect.objectContaining({ code: value });

/**
 * The behaviour every `MemoryStore` shares, whatever its engine: run once per implementation
 * (SQLite on the calling thread and on worker threads, PostgreSQL with exact search, PGlite with
 * pgvector), so they answer alike.
 */
export function memoryStoreSuite(engine: string, openStore: OpenStore): void {
  const stores: MemoryStore[] = [];

  async function open(options: Partial<CommonStoreOptions> = {}): Promise<MemoryStore> {
    const store = await openStore({ embedder: new HashEmbedder({ dimensions: 32 }), ...options });
    stores.push(store);
    return store;
  }

  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });

  describe(`${engine}: search`, () => searchSuite(open));

  describe(`${engine}: writes and reads`, () => {
    it('adds a memory and returns it with a readable id, scope, metadata and time', async () => {
      const store = await open({ now: () => 1_700_000_000_000 });
      const memory = await store.add('The user prefers dark roast', {
        metadata: { source: 'chat', tags: ['coffee'] },
      });
      expect(memory).toEqual({
        id: 'mem_1',
        text: 'The user prefers dark roast',
        scope: 'default',
        metadata: { source: 'chat', tags: ['coffee'] },
        createdAt: 1_700_000_000_000,
      });
      expect(await store.get(memory.id)).toEqual(memory);
      expect(store.dimensions).toBe(32);
    });

    it('counts, lists newest first with paging, and filters by scope', async () => {
      const store = await open();
      await store.add('one');
      await store.add('two', { scope: 'work' });
      await store.add('three');
      expect(await store.count()).toBe(3);
      expect(await store.count('default')).toBe(2);
      expect(await store.count('nobody')).toBe(0);
      expect((await store.list()).map((memory) => memory.text)).toEqual(['three', 'two', 'one']);
      expect((await store.list({ limit: 1, offset: 1 })).map((memory) => memory.text)).toEqual(['two']);
      expect((await store.list({ scope: 'default' })).map((memory) => memory.text)).toEqual(['three', 'one']);
    });

    it('deletes by id, returns false for an unknown id, and never reuses an id', async () => {
      const store = await open();
      const first = await store.add('first');
      const second = await store.add('second');
      expect(await store.delete(second.id)).toBe(true);
      expect(await store.delete(second.id)).toBe(false);
      expect(await store.get(second.id)).toBeUndefined();
      expect((await store.add('third')).id).toBe('mem_3');
      expect((await store.list()).map((memory) => memory.id)).toEqual(['mem_3', first.id]);
      expect((await store.search('second', { k: 5 })).map((result) => result.text)).not.toContain('second');
    });

    it('adds many memories in one embedder call and one transaction', async () => {
      const embedder = sizedEmbedder(4);
      const store = await open({ embedder });
      const memories = await store.addMany([{ text: 'a' }, { text: 'b', scope: 'work', metadata: { n: 1 } }]);
      expect(embedder.calls).toBe(1);
      expect(memories.map((memory) => [memory.id, memory.scope, memory.metadata])).toEqual([
        ['mem_1', 'default', {}],
        ['mem_2', 'work', { n: 1 }],
      ]);
      expect(await store.count()).toBe(2);
    });
  });

  describe(`${engine}: cache invalidation`, () => {
    it('invalidates the scope of an add after it commits', async () => {
      const seen: Array<[string | undefined, Promise<number>]> = [];
      const store: MemoryStore = await open({
        cache: { invalidate: (scope) => seen.push([scope, store.count(scope)]) },
      });
      await store.add('in work', { scope: 'work' });
      expect(seen.map(([scope]) => scope)).toEqual(['work']);
      // Counted at the moment of the invalidation: the write had committed.
      expect(await seen[0]![1]).toBe(1);
    });

    it('invalidates each scope of addMany once, and the scope of a delete', async () => {
      const cache = { invalidate: vi.fn() };
      const store = await open({ cache });
      const [first] = await store.addMany([
        { text: 'a', scope: 'x' },
        { text: 'b', scope: 'y' },
        { text: 'c', scope: 'x' },
      ]);
      expect(cache.invalidate.mock.calls).toEqual([['x'], ['y']]);
      cache.invalidate.mockClear();
      await store.delete(first!.id);
      await store.delete('mem_999');
      expect(cache.invalidate.mock.calls).toEqual([['x']]);
    });

    it('does not invalidate when the embedder or the transaction fails', async () => {
      const cache = { invalidate: vi.fn() };
      const embedder = sizedEmbedder(4);
      const store = await open({ embedder, cache });
      await store.add('fixes four dimensions');
      cache.invalidate.mockClear();
      embedder.dimensions = 6;
      await expect(store.add('six now')).rejects.toThrow(code('MEMORY_DIMENSION_MISMATCH'));
      embedder.embed = async () => {
        throw new Error('ollama is down');
      };
      await expect(store.add('x')).rejects.toThrow(code('MEMORY_EMBED_FAILED'));
      expect(cache.invalidate).not.toHaveBeenCalled();
      expect(await store.count()).toBe(1);
    });

    it('reports a throwing cache after the write is saved', async () => {
      const store = await open({
        cache: {
          invalidate: () => {
            throw new Error('cache broke');
          },
        },
      });
      await expect(store.add('kept', { scope: 'notes' })).rejects.toThrow(
        /saved, but invalidating the memory-search cache for scope "notes" threw: cache broke/,
      );
      expect(await store.count('notes')).toBe(1);
    });
  });

  describe(`${engine}: dimensions`, () => {
    it('fixes the dimension at the first embedding and names both numbers on a mismatch', async () => {
      const embedder = sizedEmbedder(8);
      const store = await open({ embedder });
      expect(store.dimensions).toBeUndefined();
      await store.add('first');
      expect(store.dimensions).toBe(8);
      embedder.dimensions = 12;
      await expect(store.add('second')).rejects.toThrow(
        /holds 8-dimension vectors, but the new memory embedding has 12/,
      );
      await expect(store.search('query')).rejects.toThrow(
        /holds 8-dimension vectors, but the query embedding has 12/,
      );
    });

    it('keeps one dimension when two first writes race with different lengths', async () => {
      const cache = { invalidate: vi.fn() };
      const store = await open({
        cache,
        embedder: { embed: async (texts) => texts.map((text) => new Array(text.length).fill(1)) },
      });
      const settled = await Promise.allSettled([store.add('four'), store.add('sixsix')]);
      // Which write comes first is the engine's to decide (a pool may run the second one first):
      // one of them fixes the dimension, the other is refused.
      expect(settled.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(settled.find((outcome) => outcome.status === 'rejected')).toMatchObject({
        reason: { code: 'MEMORY_DIMENSION_MISMATCH' },
      });
      const winner = settled.findIndex((outcome) => outcome.status === 'fulfilled');
      expect(store.dimensions).toBe(['four', 'sixsix'][winner]!.length);
      expect(await store.count()).toBe(1);
      expect(cache.invalidate).toHaveBeenCalledTimes(1);
    });

    it('fixes the dimension from the option and checks embeddings against it', async () => {
      const store = await open({ embedder: sizedEmbedder(5), dimensions: 6 });
      expect(store.dimensions).toBe(6);
      await expect(store.add('x')).rejects.toThrow(code('MEMORY_DIMENSION_MISMATCH'));
    });
  });

  describe(`${engine}: bad input`, () => {
    it('rejects empty, blank and oversized text', async () => {
      const store = await open();
      await expect(store.add('')).rejects.toThrow(/text must not be empty/);
      await expect(store.add(' \n\t')).rejects.toThrow(code('MEMORY_INVALID_INPUT'));
      await expect(store.add(42 as unknown as string)).rejects.toThrow(/text must be a string, got 42/);
      await expect(store.add('a'.repeat(MAX_TEXT_BYTES))).resolves.toMatchObject({ id: 'mem_1' });
      await expect(store.add('é'.repeat(MAX_TEXT_BYTES / 2 + 1))).rejects.toThrow(
        `text is ${MAX_TEXT_BYTES + 2} bytes of UTF-8; the limit is ${MAX_TEXT_BYTES}`,
      );
      await expect(store.search('x'.repeat(MAX_TEXT_BYTES + 1))).rejects.toThrow(/query is/);
    });

    it('rejects bad scopes, metadata and batches', async () => {
      const store = await open();
      await expect(store.add('x', { scope: '' })).rejects.toThrow(/options.scope must be a non-empty string/);
      await expect(store.add('x', { scope: 's'.repeat(257) })).rejects.toThrow(/longer than 256 bytes/);
      const bad: unknown[] = [
        [1],
        new Date(),
        { n: Number.NaN },
        { f: () => 1 },
        { big: 1n },
        { s: 'x'.repeat(MAX_METADATA_BYTES) },
      ];
      for (const metadata of bad) {
        await expect(store.add('x', { metadata: metadata as Record<string, never> })).rejects.toThrow(
          code('MEMORY_INVALID_INPUT'),
        );
      }
      let deep: Record<string, unknown> = {};
      for (let i = 0; i < 20; i++) deep = { deep };
      await expect(store.add('x', { metadata: deep as Record<string, never> })).rejects.toThrow(
        /nested deeper/,
      );
      await expect(store.addMany([])).rejects.toThrow(/1 to 1000 memories/);
      const tooMany = Array.from({ length: MAX_BATCH + 1 }, () => ({ text: 'x' }));
      await expect(store.addMany(tooMany)).rejects.toThrow(code('MEMORY_INVALID_INPUT'));
      await expect(store.addMany([{ text: 'ok' }, { text: '' }])).rejects.toThrow(
        /items\[1\].text must not be empty/,
      );
      expect(await store.count()).toBe(0);
    });

    it('rejects a bad k, limit, offset or id', async () => {
      const store = await open();
      await store.add('something');
      for (const k of [0, 101, 1.5, '5']) {
        await expect(store.search('x', { k: k as number })).rejects.toThrow(
          /options.k must be an integer from 1 to 100/,
        );
      }
      await expect(store.search('something', { k: 100 })).resolves.toHaveLength(1);
      await expect(store.list({ limit: 0 })).rejects.toThrow(/options.limit/);
      await expect(store.list({ limit: 1001 })).rejects.toThrow(/options.limit/);
      await expect(store.list({ offset: -1 })).rejects.toThrow(/options.offset/);
      await expect(store.get('42')).rejects.toThrow(/id must look like "mem_42", got "42"/);
      await expect(store.delete('mem_x')).rejects.toThrow(code('MEMORY_INVALID_INPUT'));
      await expect(store.list({ limit: 5, colour: 'red' } as never)).rejects.toThrow(
        /options has an unknown key "colour"/,
      );
      await expect(store.search('x', { kk: 5 } as never)).rejects.toThrow(TypeError);
      expect(await store.get('mem_404')).toBeUndefined();
    });

    it('reports an embedder that returns the wrong shape', async () => {
      const shapes: unknown[] = [[], [[1, 2], [1]], [[Number.NaN]], [[]], 'nope'];
      for (const shape of shapes) {
        const store = await open({ embedder: { embed: async () => shape as number[][] } });
        const texts =
          Array.isArray(shape) && shape.length === 2 ? [{ text: 'a' }, { text: 'b' }] : [{ text: 'a' }];
        await expect(store.addMany(texts)).rejects.toThrow(code('MEMORY_EMBED_FAILED'));
      }
    });
  });

  describe(`${engine}: abort and close`, () => {
    it('does not call the embedder when the signal is already aborted', async () => {
      const embedder = sizedEmbedder(4);
      const store = await open({ embedder });
      await expect(store.add('x', { signal: AbortSignal.abort(new Error('gone')) })).rejects.toThrow('gone');
      expect(embedder.calls).toBe(0);
    });

    it('stores nothing when aborted while embedding', async () => {
      const controller = new AbortController();
      const store = await open({
        embedder: {
          embed: (_texts, options) =>
            new Promise((_resolve, reject) => {
              options?.signal?.addEventListener('abort', () => reject(new Error('embed aborted')));
            }),
        },
      });
      const adding = store.add('x', { signal: controller.signal });
      controller.abort(new Error('user cancelled'));
      await expect(adding).rejects.toThrow('user cancelled');
      expect(await store.count()).toBe(0);
    });

    it('fails every call after close, including an add that was still embedding', async () => {
      const noRelease = () => {};
      let release: (vectors: number[][]) => void = noRelease;
      const store = await open({
        embedder: { embed: () => new Promise((resolve) => (release = resolve)) },
      });
      const adding = store.add('x');
      // Wait until the add is embedding.
      await vi.waitFor(() => expect(release).not.toBe(noRelease));
      await Promise.all([store.close(), store.close()]);
      release([[1, 0]]);
      await expect(adding).rejects.toThrow(code('MEMORY_CLOSED'));
      expect(store.closed).toBe(true);
      await expect(store.count()).rejects.toThrow(/the memory store is closed/);
      await expect(store.search('x')).rejects.toThrow(code('MEMORY_CLOSED'));
    });
  });
}
