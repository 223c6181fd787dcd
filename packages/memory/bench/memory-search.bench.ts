// Hybrid memory search, the same memories and queries on each engine, side by side in one run:
// SQLite (FTS5 + sqlite-vec) and PostgreSQL (tsvector + pgvector's HNSW index, or exact cosine in
// SQL), each at 10,000 and 100,000 memories. Embeddings come from the HashEmbedder (no model), so
// the figures are the database and the fusion, not an embedding call.
import { mulberry32, postgresAvailable, type Summary, startPostgresServer, summarise } from '@lunar/dev-kit';
import { HashEmbedder, type MemoryStore, PostgresMemoryStore, SqliteMemoryStore } from '../src/index.js';

export interface SearchRow {
  engine: string;
  memories: number;
  insertPerSecond: number;
  /** Every scope; undefined when not run (too slow at this size). */
  all: Summary | undefined;
  /** One scope of ten. */
  scoped: Summary;
}

const SUBJECTS = ['The user', 'Ana', 'My manager', 'The landlord', 'Our team', 'The doctor', 'Grandma'];
const VERBS = ['prefers', 'mentioned', 'asked about', 'dislikes', 'booked', 'forgot', 'recommended'];
const OBJECTS = [
  'dark roast coffee',
  'the quarterly budget',
  'a trip to Lisbon',
  'vegetarian recipes',
  'the dentist appointment',
  'jazz concerts',
  'the rent increase',
  'running shoes',
  'green tea',
  'Italian lessons',
];
const WHEN = ['on Monday', 'next week', 'every morning', 'last year', 'this weekend'];
const SCOPES = 10;

/** The same texts in every run and engine (seeded). */
function memoryTexts(count: number): Array<{ text: string; scope: string }> {
  const next = mulberry32(42);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  return Array.from({ length: count }, (_, index) => ({
    text: `${pick(SUBJECTS)} ${pick(VERBS)} ${pick(OBJECTS)} ${pick(WHEN)} (note ${index}, code ${Math.floor(next() * 1e6).toString(36)})`,
    scope: `user-${index % SCOPES}`,
  }));
}

function queryTexts(count: number): string[] {
  const next = mulberry32(7);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  return Array.from(
    { length: count },
    () => `${pick(SUBJECTS).toLowerCase()} ${pick(VERBS)} ${pick(OBJECTS)}`,
  );
}

async function fill(store: MemoryStore, memories: number): Promise<number> {
  const texts = memoryTexts(memories);
  const started = performance.now();
  for (let offset = 0; offset < texts.length; offset += 1_000)
    await store.addMany(texts.slice(offset, offset + 1_000));
  return memories / ((performance.now() - started) / 1000);
}

async function time(store: MemoryStore, queries: string[], scoped: boolean): Promise<Summary> {
  const samples: number[] = [];
  for (const [index, query] of queries.entries()) {
    const options = { k: 5, ...(scoped ? { scope: `user-${index % SCOPES}` } : {}) };
    const started = performance.now();
    await store.search(query, options);
    samples.push(performance.now() - started);
  }
  return summarise(samples);
}

export interface MemorySearchBenchOptions {
  sizes: number[];
  /** Timed searches per case (after 3 untimed). */
  queries: number;
  dimensions: number;
  /** PostgreSQL exact search scans every vector: above this many per search, its case is not run. */
  exactLimit: number;
}

/** Every engine at every size; PostgreSQL only where a server can be started here. */
export async function benchMemorySearch(options: MemorySearchBenchOptions): Promise<SearchRow[]> {
  const { sizes, queries, dimensions, exactLimit } = options;
  const embedder = new HashEmbedder({ dimensions });
  const texts = queryTexts(queries + 3);
  const rows: SearchRow[] = [];
  const measure = async (
    engine: string,
    store: MemoryStore,
    memories: number,
    limit = Number.POSITIVE_INFINITY,
  ) => {
    const insertPerSecond = await fill(store, memories);
    await time(store, texts.slice(0, 3), true);
    const all = memories <= limit ? await time(store, texts.slice(3), false) : undefined;
    const scoped = await time(store, texts.slice(3), true);
    rows.push({ engine, memories, insertPerSecond, all, scoped });
  };
  for (const memories of sizes) {
    const sqlite = SqliteMemoryStore.open({ path: ':memory:', embedder });
    try {
      await measure('SQLite (FTS5 + sqlite-vec)', sqlite, memories);
    } finally {
      await sqlite.close();
    }
  }
  if (!postgresAvailable('the PostgreSQL rows of the memory search bench')) return rows;
  const server = await startPostgresServer();
  try {
    for (const memories of sizes) {
      const schema = `bench_${memories}`;
      const pgvector = await PostgresMemoryStore.open({ connection: server.url, schema, embedder }).catch(
        (error: Error) => error,
      );
      if (pgvector instanceof Error) {
        console.log(
          `PostgreSQL with pgvector, ${memories} memories: not measured (${pgvector.message.split(':')[0]}).`,
        );
      } else {
        try {
          await measure('PostgreSQL, pgvector HNSW', pgvector, memories);
        } finally {
          await pgvector.close();
        }
      }
      if (memories / SCOPES > exactLimit) {
        console.log(
          `PostgreSQL exact search, ${memories} memories: not run (over ${exactLimit} vectors per search).`,
        );
        continue;
      }
      const exact = await PostgresMemoryStore.open({
        connection: server.url,
        schema: `${schema}_exact`,
        embedder,
        vectorSearch: 'exact',
      });
      try {
        await measure('PostgreSQL, exact (cosine in SQL)', exact, memories, exactLimit);
      } finally {
        await exact.close();
      }
    }
  } finally {
    await server.stop();
  }
  return rows;
}
