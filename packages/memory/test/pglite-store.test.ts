import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HashEmbedder } from '../src/hash-embedder.js';
import { PostgresMemoryStore } from '../src/postgres/postgres-memory-store.js';
import { memoryStoreSuite } from './memory-store-suite.js';

// PGlite runs PostgreSQL (with pgvector) in this process: the pgvector path of the same SQL the
// store sends to a server, HNSW index included.
let database: PGlite;
let schemas = 0;

beforeAll(async () => {
  database = await PGlite.create({ extensions: { vector } });
}, 60_000);

afterAll(async () => {
  await database?.close();
});

memoryStoreSuite('PGlite, pgvector', (options) =>
  PostgresMemoryStore.open({ pglite: database, schema: `suite_${schemas++}`, ...options }),
);

describe('PostgresMemoryStore on PGlite with pgvector', () => {
  it('ranks by the HNSW index and still finds k rows of a rare scope among many', async () => {
    const store = await PostgresMemoryStore.open({
      pglite: database,
      schema: 'rare_scope',
      embedder: new HashEmbedder({ dimensions: 64 }),
    });
    try {
      await store.addMany(
        Array.from({ length: 400 }, (_, index) => ({
          text: `crowded note ${index} about tea`,
          scope: 'busy',
        })),
      );
      const rare = await store.addMany(
        Array.from({ length: 6 }, (_, index) => ({ text: `rare note ${index} about tea`, scope: 'rare' })),
      );
      const plan = await database.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT id FROM rare_scope.lunar_memory_vectors ORDER BY embedding <=> (SELECT embedding FROM rare_scope.lunar_memory_vectors LIMIT 1) LIMIT 20`,
      );
      expect(plan.rows.map((row) => row['QUERY PLAN']).join('\n')).toMatch(/lunar_memory_vectors_embedding/);
      const found = await store.search('a note about tea', { scope: 'rare', k: 6 });
      expect(found.map((result) => result.id).sort()).toEqual(rare.map((memory) => memory.id).sort());
      expect(found.every((result) => result.vectorRank !== undefined)).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('refuses a store made for exact search when asked for pgvector', async () => {
    const options = { pglite: database, schema: 'made_exact', embedder: new HashEmbedder() };
    await (await PostgresMemoryStore.open({ ...options, vectorSearch: 'exact' })).close();
    await expect(PostgresMemoryStore.open(options)).rejects.toMatchObject({
      code: 'MEMORY_SCHEMA_UNSUPPORTED',
      message: expect.stringMatching(/made for vectorSearch 'exact'/),
    });
  });
});
