import { type PostgresServer, postgresAvailable, startPostgresServer } from '@lunar/dev-kit';
import { MemorySearchCache } from '@lunar/memory-cache';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HashEmbedder } from '../src/hash-embedder.js';
import { PostgresMemoryStore } from '../src/postgres/postgres-memory-store.js';
import type { MemorySearchResult } from '../src/types.js';

const available = postgresAvailable('test/postgres-servers.test.ts (several stores on one PostgreSQL)');
const embedder = new HashEmbedder({ dimensions: 32 });

describe.runIf(available)('several stores on one PostgreSQL, as several servers', () => {
  let server: PostgresServer;

  beforeAll(async () => {
    server = await startPostgresServer();
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
  });

  const open = (schema: string, extra: Partial<ConstructorParameters<typeof PostgresMemoryStore>[0]> = {}) =>
    PostgresMemoryStore.open({ connection: server.url, schema, vectorSearch: 'exact', embedder, ...extra });

  it('migrates once when eight servers start together', async () => {
    const stores = await Promise.all(Array.from({ length: 8 }, () => open('together', { dimensions: 32 })));
    try {
      const written = await Promise.all(stores.map((store, index) => store.add(`from server ${index}`)));
      expect(new Set(written.map((memory) => memory.id)).size).toBe(8);
      for (const store of stores) expect(await store.count()).toBe(8);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it('agrees on one dimension when two first writes race on two servers', async () => {
    const [a, b] = await Promise.all([open('racing'), open('racing')]);
    try {
      const four = { embed: async (texts: string[]) => texts.map(() => [1, 0, 0, 0]) };
      const six = { embed: async (texts: string[]) => texts.map(() => [1, 0, 0, 0, 0, 0]) };
      const settled = await Promise.allSettled([
        a!.addMany([{ text: 'four' }], { embedder: four }),
        b!.addMany([{ text: 'six' }], { embedder: six }),
      ]);
      expect(settled.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      expect(settled.find((outcome) => outcome.status === 'rejected')).toMatchObject({
        reason: { code: 'MEMORY_DIMENSION_MISMATCH' },
      });
      expect(await a!.count()).toBe(1);
    } finally {
      await Promise.all([a!.close(), b!.close()]);
    }
  });

  it("drops another server's cached searches of the scope it writes to, through NOTIFY", async () => {
    const cacheA = new MemorySearchCache<MemorySearchResult[]>();
    const cacheB = new MemorySearchCache<MemorySearchResult[]>();
    const a = await open('notify', { cache: cacheA });
    const b = await open('notify', { cache: cacheB });
    try {
      await a.add('The user likes green tea', { scope: 'alice' });
      // B hears of that write (and drops nothing, having cached nothing yet).
      await expect.poll(() => cacheB.stats().invalidations).toBe(1);
      const search = (query: string) => b.search(query, { scope: 'alice', k: 20 });
      const first = await cacheB.searchWithStatus('what tea?', search, { scope: 'alice' });
      expect(first).toMatchObject({ status: 'miss' });
      expect((await cacheB.searchWithStatus('what tea?', search, { scope: 'alice' })).status).toBe('hit');
      for (let round = 0; round < 10; round++) {
        // Written through A, then searched through B's cache at once (after the one round trip that
        // brings B every notice committed so far): never the older answer.
        const written = await a.add(`The user now likes oolong tea, round ${round}`, { scope: 'alice' });
        await b.syncInvalidations();
        const served = await cacheB.searchWithStatus('what tea?', search, { scope: 'alice' });
        expect(served.results.map((result) => result.id)).toContain(written.id);
      }
      expect(cacheB.stats().invalidations).toBeGreaterThanOrEqual(10);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('rides out a server restart under load: only calls in flight may fail, the pool reconnects', async () => {
    const errors: string[] = [];
    const store = await open('restart', { onError: (error) => errors.push(error.code) });
    const cache = new MemorySearchCache<MemorySearchResult[]>();
    const listening = await open('restart', { cache });
    try {
      await store.addMany(Array.from({ length: 50 }, (_, index) => ({ text: `note ${index} on the sea` })));
      let stopped = false;
      const outcomes = { ok: 0, failed: [] as string[] };
      const worker = async (index: number) => {
        while (!stopped) {
          try {
            if (index % 2 === 0) await store.search('the sea', { k: 3 });
            else await store.add(`written under load by worker ${index}`);
            outcomes.ok++;
          } catch (error) {
            outcomes.failed.push(String((error as Error).message));
          }
        }
      };
      const running = Promise.all(Array.from({ length: 6 }, (_, index) => worker(index)));
      await expect.poll(() => outcomes.ok, { timeout: 10_000 }).toBeGreaterThan(30);
      const beforeRestart = outcomes.ok;
      await server.restart();
      await expect.poll(() => outcomes.ok, { timeout: 15_000 }).toBeGreaterThan(beforeRestart + 30);
      stopped = true;
      await running;
      // A call whose statement was on the wire when the server went away may fail (at most one per
      // worker); every call made while it was down waited and went through once it was back.
      expect(outcomes.failed.length).toBeLessThanOrEqual(6);
      // The listening connection came back, and says so by dropping every cached scope.
      await expect.poll(() => cache.stats().invalidations, { timeout: 10_000 }).toBeGreaterThan(0);
      const memory = await store.add('after the restart');
      expect(await listening.get(memory.id)).toMatchObject({ text: 'after the restart' });
    } finally {
      await Promise.all([store.close(), listening.close()]);
    }
  }, 60_000);

  it('fails with MEMORY_UNREACHABLE once the retry window has passed', async () => {
    const store = await PostgresMemoryStore.open({
      connection: server.url.replace(String(server.port), '1'),
      vectorSearch: 'exact',
      embedder,
      retryTimeoutMs: 200,
    }).catch((error: unknown) => error);
    expect(store).toMatchObject({
      code: 'MEMORY_UNREACHABLE',
      message: expect.stringMatching(/cannot be reached \(tried for 200 ms\)/),
    });
  });
});
