import { type PostgresServer, postgresAvailable, startPostgresServer } from '@lunar/dev-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HashEmbedder } from '../src/hash-embedder.js';
import { PostgresMemoryStore } from '../src/postgres/postgres-memory-store.js';
import { memoryStoreSuite } from './memory-store-suite.js';

const available = postgresAvailable('test/postgres-store.test.ts (the store suite on a real PostgreSQL)');

describe.runIf(available)('PostgreSQL server', () => {
  let server: PostgresServer;
  let schemas = 0;

  beforeAll(async () => {
    server = await startPostgresServer();
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
  });

  // Each store in a schema of its own, so every test starts empty.
  memoryStoreSuite('PostgreSQL, exact search', (options) =>
    PostgresMemoryStore.open({
      connection: server.url,
      schema: `suite_${schemas++}`,
      vectorSearch: 'exact',
      ...options,
    }),
  );

  it('without pgvector, refuses to open and says how to install it or choose exact search', async () => {
    const opening = PostgresMemoryStore.open({
      connection: server.url,
      schema: 'no_pgvector',
      embedder: new HashEmbedder(),
    });
    await expect(opening).rejects.toMatchObject({
      code: 'MEMORY_VECTOR_EXTENSION_MISSING',
      message: expect.stringMatching(/no pgvector extension: install pgvector .* vectorSearch: 'exact'/),
    });
  });
});
