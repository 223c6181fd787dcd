import { MemoryError } from '../errors.js';
import type { SqlQueryable } from './sql-client.js';

/** The schema this code writes, kept in `lunar_memory_meta`. */
export const POSTGRES_SCHEMA_VERSION = 1;

/** How the vector ranking is computed: pgvector's HNSW index, or cosine over every row in SQL. */
export type VectorSearch = 'pgvector' | 'exact';

/** The oldest pgvector with HNSW indexes; 0.8.0 adds iterative scans (a scope filter that still finds k). */
const MIN_PGVECTOR = [0, 5, 0];
const ITERATIVE_PGVECTOR = [0, 8, 0];

/** Table names of one store, in its PostgreSQL schema. */
export interface Tables {
  schema: string;
  meta: string;
  memories: string;
  vectors: string;
  /** The NOTIFY channel of this store's writes. */
  channel: string;
  /** The advisory lock that serialises migrations and the first write of each store. */
  lockKey: string;
}

export function tablesOf(schema: string): Tables {
  const qualified = (name: string) => `"${schema}".${name}`;
  return {
    schema,
    meta: qualified('lunar_memory_meta'),
    memories: qualified('lunar_memories'),
    vectors: qualified('lunar_memory_vectors'),
    channel: `lunar_memory_${schema}`,
    lockKey: `lunar_memory:${schema}`,
  };
}

/** Takes this store's advisory lock until the transaction ends; every server waits its turn. */
export async function lockStore(sql: SqlQueryable, tables: Tables): Promise<void> {
  await sql.query('SELECT pg_advisory_xact_lock(hashtext($1))', [tables.lockKey]);
}

/**
 * `MIGRATIONS[n]` brings a store from schema n to n + 1. Version 1:
 * - `lunar_memories`: the rows; `id` an identity never handed out twice; `search` a generated
 *   `tsvector` (English stemming, so "remembers" finds "remember") under a GIN index.
 * - `lunar_memory_vectors` is created once the dimension is known (`createVectorTable`).
 */
const MIGRATIONS: ReadonlyArray<(sql: SqlQueryable, tables: Tables) => Promise<void>> = [
  async (sql, { memories }) => {
    await sql.query(`CREATE TABLE IF NOT EXISTS ${memories} (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      scope text NOT NULL,
      text text NOT NULL,
      metadata json,
      created_at bigint NOT NULL,
      search tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED
    )`);
    await sql.query(`CREATE INDEX IF NOT EXISTS lunar_memories_scope ON ${memories} (scope, id)`);
    await sql.query(`CREATE INDEX IF NOT EXISTS lunar_memories_search ON ${memories} USING gin (search)`);
  },
];

async function readMeta(sql: SqlQueryable, tables: Tables, key: string): Promise<string | undefined> {
  const rows = await sql.query<{ value: string }>(`SELECT value FROM ${tables.meta} WHERE key = $1`, [key]);
  return rows[0]?.value;
}

async function writeMeta(sql: SqlQueryable, tables: Tables, key: string, value: string): Promise<void> {
  await sql.query(
    `INSERT INTO ${tables.meta} (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    [key, value],
  );
}

export async function readDimensions(sql: SqlQueryable, tables: Tables): Promise<number | undefined> {
  const value = await readMeta(sql, tables, 'dimensions');
  return value === undefined ? undefined : Number(value);
}

function atLeast(version: readonly number[], minimum: readonly number[]): boolean {
  for (let index = 0; index < minimum.length; index++) {
    const part = version[index] ?? 0;
    if (part !== minimum[index]) return part > minimum[index]!;
  }
  return true;
}

export const PGVECTOR_MISSING_HELP =
  'install pgvector 0.5 or later on the PostgreSQL server (Debian and Ubuntu: `apt install postgresql-<version>-pgvector` ' +
  'from the PostgreSQL apt repository; macOS: `brew install pgvector`; or build it from https://github.com/pgvector/pgvector), ' +
  'then open the store again (it runs CREATE EXTENSION vector, which needs a role allowed to create extensions). ' +
  "For a small store, exact search needs no extension: vectorSearch: 'exact' (lunar-server: --memory-vector-search exact)";

/** Makes sure pgvector is there (creating the extension if it is installed but not created). */
async function ensurePgvector(sql: SqlQueryable): Promise<{ iterativeScan: boolean }> {
  const installed = async () =>
    (
      await sql.query<{ version: string }>(
        "SELECT extversion AS version FROM pg_extension WHERE extname = 'vector'",
      )
    )[0]?.version;
  let version = await installed();
  if (version === undefined) {
    const available = await sql.query("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'");
    if (available.length === 0) {
      throw new MemoryError(
        'MEMORY_VECTOR_EXTENSION_MISSING',
        `PostgreSQL has no pgvector extension: ${PGVECTOR_MISSING_HELP}`,
      );
    }
    try {
      await sql.query('CREATE EXTENSION IF NOT EXISTS vector');
    } catch (error) {
      throw new MemoryError(
        'MEMORY_VECTOR_EXTENSION_MISSING',
        `pgvector is installed but CREATE EXTENSION vector failed (${(error as Error).message}): ask an administrator to run CREATE EXTENSION vector in this database, or open the store with vectorSearch: 'exact'`,
        { cause: error },
      );
    }
    version = await installed();
  }
  const parts = (version ?? '0').split('.').map(Number);
  if (!atLeast(parts, MIN_PGVECTOR)) {
    throw new MemoryError(
      'MEMORY_VECTOR_EXTENSION_MISSING',
      `pgvector ${version} has no HNSW index: ${PGVECTOR_MISSING_HELP}`,
    );
  }
  return { iterativeScan: atLeast(parts, ITERATIVE_PGVECTOR) };
}

export interface PreparedSchema {
  dimensions: number | undefined;
  /** pgvector 0.8+: scoped searches keep scanning the index until they find enough rows. */
  iterativeScan: boolean;
}

/**
 * Brings the store up to POSTGRES_SCHEMA_VERSION under the store's advisory lock, so servers
 * starting together migrate once; checks the vector search and the dimension it was made with.
 * Call inside a transaction.
 */
export async function prepareSchema(
  sql: SqlQueryable,
  tables: Tables,
  vectorSearch: VectorSearch,
  dimensions: number | undefined,
): Promise<PreparedSchema> {
  await lockStore(sql, tables);
  await sql.query(`CREATE SCHEMA IF NOT EXISTS "${tables.schema}"`);
  await sql.query(`CREATE TABLE IF NOT EXISTS ${tables.meta} (key text PRIMARY KEY, value text NOT NULL)`);
  const version = Number((await readMeta(sql, tables, 'schema_version')) ?? 0);
  if (version > POSTGRES_SCHEMA_VERSION) {
    throw new MemoryError(
      'MEMORY_SCHEMA_UNSUPPORTED',
      `the memory store in schema "${tables.schema}" has schema version ${version}; this version of @lunar/memory reads up to ${POSTGRES_SCHEMA_VERSION}`,
    );
  }
  for (let step = version; step < POSTGRES_SCHEMA_VERSION; step++) await MIGRATIONS[step]!(sql, tables);
  if (version !== POSTGRES_SCHEMA_VERSION)
    await writeMeta(sql, tables, 'schema_version', String(POSTGRES_SCHEMA_VERSION));
  const made = await readMeta(sql, tables, 'vector_search');
  if (made === undefined) await writeMeta(sql, tables, 'vector_search', vectorSearch);
  else if (made !== vectorSearch) {
    throw new MemoryError(
      'MEMORY_SCHEMA_UNSUPPORTED',
      `the memory store in schema "${tables.schema}" was made for vectorSearch '${made}'; open it with vectorSearch: '${made}' (or use another schema)`,
    );
  }
  const { iterativeScan } =
    vectorSearch === 'pgvector' ? await ensurePgvector(sql) : { iterativeScan: false };
  const stored = await readDimensions(sql, tables);
  if (stored === undefined && dimensions !== undefined) {
    await createVectorTable(sql, tables, vectorSearch, dimensions);
  }
  return { dimensions: stored ?? dimensions, iterativeScan };
}

/** Most dimensions pgvector indexes (its HNSW limit for `vector`). */
export const MAX_PGVECTOR_DIMENSIONS = 2000;

/**
 * Fixes the dimension and creates the vectors table: `vector(n)` under an HNSW cosine index, or
 * `real[]` for exact search. Call inside a transaction holding the store's lock.
 */
export async function createVectorTable(
  sql: SqlQueryable,
  tables: Tables,
  vectorSearch: VectorSearch,
  dimensions: number,
): Promise<void> {
  if (vectorSearch === 'pgvector' && dimensions > MAX_PGVECTOR_DIMENSIONS) {
    throw new MemoryError(
      'MEMORY_DIMENSION_MISMATCH',
      `pgvector indexes vectors of up to ${MAX_PGVECTOR_DIMENSIONS} dimensions; these have ${dimensions} (use a smaller embedding model, or vectorSearch: 'exact')`,
    );
  }
  const column = vectorSearch === 'pgvector' ? `vector(${dimensions})` : 'real[]';
  await sql.query(`CREATE TABLE ${tables.vectors} (
    id bigint PRIMARY KEY REFERENCES ${tables.memories} (id) ON DELETE CASCADE,
    scope text NOT NULL,
    embedding ${column} NOT NULL
  )`);
  await sql.query(`CREATE INDEX lunar_memory_vectors_scope ON ${tables.vectors} (scope)`);
  if (vectorSearch === 'pgvector') {
    await sql.query(
      `CREATE INDEX lunar_memory_vectors_embedding ON ${tables.vectors} USING hnsw (embedding vector_cosine_ops)`,
    );
  }
  await writeMeta(sql, tables, 'dimensions', String(dimensions));
}
