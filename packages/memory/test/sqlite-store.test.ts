import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HashEmbedder } from '../src/hash-embedder.js';
import { SqliteMemoryStore } from '../src/sqlite/sqlite-memory-store.js';
import type { Embedder } from '../src/types.js';
import { memoryStoreSuite } from './memory-store-suite.js';

const directory = mkdtempSync(join(tmpdir(), 'lunar-memory-sqlite-'));
let files = 0;
afterAll(() => rmSync(directory, { recursive: true, force: true }));

memoryStoreSuite('SQLite, on the calling thread', async (options) =>
  SqliteMemoryStore.open({ path: ':memory:', ...options }),
);

memoryStoreSuite('SQLite, one worker thread, in memory', async (options) => {
  const store = SqliteMemoryStore.open({ path: ':memory:', threads: 1, ...options });
  await store.ready;
  return store;
});

memoryStoreSuite('SQLite, two worker threads, one file', async (options) => {
  const store = SqliteMemoryStore.open({ path: join(directory, `${files++}.db`), threads: 2, ...options });
  await store.ready;
  return store;
});

describe('SqliteMemoryStore options', () => {
  it('rejects bad options with a TypeError naming the option and value', () => {
    const embedder = new HashEmbedder();
    expect(() => SqliteMemoryStore.open({ path: '', embedder })).toThrow(/options.path must be .* got ""/);
    expect(() => SqliteMemoryStore.open({ path: ':memory:', embedder: {} as Embedder })).toThrow(
      /options.embedder/,
    );
    expect(() => SqliteMemoryStore.open({ path: ':memory:', embedder, dimensions: 0 })).toThrow(
      /options.dimensions.*got 0/,
    );
    expect(() => SqliteMemoryStore.open({ path: ':memory:', embedder, cache: {} as never })).toThrow(
      /options.cache/,
    );
    expect(() => SqliteMemoryStore.open({ path: ':memory:', embedder, busyTimeoutMs: -1 })).toThrow(
      TypeError,
    );
    expect(() => SqliteMemoryStore.open({ path: ':memory:', embedder, threads: 2 })).toThrow(
      /options.threads must be an integer from 0 to 1, got 2/,
    );
    expect(() => SqliteMemoryStore.open({ path: ':memory:', embedder, colour: 'red' } as never)).toThrow(
      /unknown option "colour"/,
    );
  });
});

describe('SqliteMemoryStore on worker threads', () => {
  it('fails a call past the queue bound with MEMORY_BUSY, and serves the rest', async () => {
    const store = SqliteMemoryStore.open({
      path: join(directory, `${files++}.db`),
      embedder: new HashEmbedder({ dimensions: 64 }),
      threads: 1,
      maxQueue: 4,
    });
    try {
      await store.addMany(Array.from({ length: 200 }, (_, index) => ({ text: `note number ${index}` })));
      // One call served by the thread, four waiting: the sixth finds the queue full.
      const calls = Array.from({ length: 6 }, () => store.count());
      const settled = await Promise.allSettled(calls);
      expect(settled.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(5);
      expect(settled.at(-1)).toMatchObject({ status: 'rejected', reason: { code: 'MEMORY_BUSY' } });
      expect(await store.count()).toBe(200);
    } finally {
      await store.close();
    }
  });

  it('reports a file it cannot open through ready and every call', async () => {
    const store = SqliteMemoryStore.open({
      path: join(directory, 'missing', 'memory.db'),
      embedder: new HashEmbedder(),
      threads: 1,
    });
    await expect(store.ready).rejects.toMatchObject({ code: 'MEMORY_OPEN_FAILED' });
    await expect(store.count()).rejects.toMatchObject({ code: 'MEMORY_OPEN_FAILED' });
    await store.close();
  });

  it('lets searches on one thread read what the other thread wrote', async () => {
    const path = join(directory, `${files++}.db`);
    const store = SqliteMemoryStore.open({
      path,
      embedder: new HashEmbedder({ dimensions: 64 }),
      threads: 2,
    });
    try {
      for (let index = 0; index < 20; index++) {
        const memory = await store.add(`written then found at once ${index} zebra${index}`);
        const [found] = await Promise.all([store.search(`zebra${index}`, { k: 1 }), store.count()]);
        expect(found?.[0]?.id).toBe(memory.id);
      }
    } finally {
      await store.close();
    }
  });
});
