import { randomBytes } from 'node:crypto';
import { EngineStore, type EngineStoreInit } from '../engine-store.js';
import { describeError, MemoryError } from '../errors.js';
import {
  COMMON_OPTION_NAMES,
  type CommonStoreOptions,
  checkOptionKeys,
  hasMethod,
  integerOption,
  optionError,
  type ResolvedCommonOptions,
  resolveCommonOptions,
} from '../store-options.js';
import { PgPoolClient } from './pg-pool-client.js';
import { PgliteClient, type PgliteDatabase } from './pglite-client.js';
import { PostgresEngine } from './postgres-engine.js';
import { prepareSchema, tablesOf, type VectorSearch } from './postgres-schema.js';
import type { SqlClient } from './sql-client.js';

export interface PostgresMemoryStoreOptions extends CommonStoreOptions {
  /**
   * `postgres://user:password@host:5432/database` (or `postgresql://`). What it leaves out comes
   * from the `PG*` environment variables (`PGHOST`, `PGPORT`, `PGUSER`, `PGPASSWORD`, `PGDATABASE`),
   * as with psql; omitted, all of it does.
   */
  connection?: string;
  /** A PGlite instance (`@electric-sql/pglite`) instead of a server: the same SQL, in the process. */
  pglite?: PgliteDatabase;
  /** The PostgreSQL schema holding the tables (created when missing). Default `'public'`. */
  schema?: string;
  /**
   * `'pgvector'` (default): an HNSW cosine index, which needs the pgvector extension (opening fails
   * with `MEMORY_VECTOR_EXTENSION_MISSING` and how to install it, when it is missing). `'exact'`:
   * cosine computed in SQL over every vector of the scope, no extension, for small stores.
   */
  vectorSearch?: VectorSearch;
  /** Connections in the pool. Default 10. */
  maxConnections?: number;
  /** How long opening one connection may take, in ms. Default 5000. */
  connectTimeoutMs?: number;
  /** How long a call keeps trying while the server cannot be reached, in ms. Default 10,000. */
  retryTimeoutMs?: number;
  /** Failures nobody awaits (an idle connection lost, the listening connection lost and retried). */
  onError?: (error: MemoryError) => void;
}

const OWNER = 'PostgresMemoryStore';
const KNOWN = [
  ...COMMON_OPTION_NAMES,
  'connection',
  'pglite',
  'schema',
  'vectorSearch',
  'maxConnections',
  'connectTimeoutMs',
  'retryTimeoutMs',
  'onError',
];
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,47}$/;

interface ResolvedPostgresOptions {
  common: ResolvedCommonOptions;
  connection: string | undefined;
  pglite: PgliteDatabase | undefined;
  schema: string;
  vectorSearch: VectorSearch;
  maxConnections: number;
  connectTimeoutMs: number;
  retryTimeoutMs: number;
  onError: (error: MemoryError) => void;
}

function resolveOptions(options: PostgresMemoryStoreOptions): ResolvedPostgresOptions {
  checkOptionKeys(OWNER, options, KNOWN);
  const common = resolveCommonOptions(OWNER, options);
  const { connection, pglite, schema = 'public', vectorSearch = 'pgvector', onError = () => {} } = options;
  if (
    connection !== undefined &&
    (typeof connection !== 'string' || !/^postgres(ql)?:\/\//.test(connection))
  ) {
    throw optionError(OWNER, 'connection', 'a postgres:// or postgresql:// URL', connection);
  }
  if (pglite !== undefined && !(hasMethod(pglite, 'query') && hasMethod(pglite, 'listen'))) {
    throw optionError(OWNER, 'pglite', 'a PGlite instance', pglite);
  }
  if (pglite !== undefined && connection !== undefined) {
    throw new TypeError(`${OWNER}: pass options.connection or options.pglite, not both`);
  }
  if (typeof schema !== 'string' || !SCHEMA_NAME.test(schema)) {
    throw optionError(OWNER, 'schema', 'a lower-case SQL name of letters, digits and _ (at most 48)', schema);
  }
  if (vectorSearch !== 'pgvector' && vectorSearch !== 'exact') {
    throw optionError(OWNER, 'vectorSearch', "'pgvector' or 'exact'", vectorSearch);
  }
  if (typeof onError !== 'function') throw optionError(OWNER, 'onError', 'a function', onError);
  const limits = { min: 1, max: 2 ** 31 - 1 };
  return {
    common,
    connection,
    pglite,
    schema,
    vectorSearch,
    maxConnections: integerOption(OWNER, 'maxConnections', options.maxConnections, {
      min: 1,
      max: 1000,
      fallback: 10,
    }),
    connectTimeoutMs: integerOption(OWNER, 'connectTimeoutMs', options.connectTimeoutMs, {
      ...limits,
      fallback: 5000,
    }),
    retryTimeoutMs: integerOption(OWNER, 'retryTimeoutMs', options.retryTimeoutMs, {
      min: 0,
      max: limits.max,
      fallback: 10_000,
    }),
    onError,
  };
}

/** Session settings of every connection: with pgvector 0.8+, a scoped HNSW scan goes on until it has enough rows. */
const ITERATIVE_SCAN = 'SET hnsw.iterative_scan = relaxed_order';

async function openEngine(
  options: ResolvedPostgresOptions,
  store: { origin: string },
): Promise<PostgresEngine> {
  const tables = tablesOf(options.schema);
  // Session settings are only known once the extension's version is: the pool applies them to
  // each connection it opens after that.
  const sessionSettings: string[] = [];
  const client: SqlClient =
    options.pglite !== undefined
      ? new PgliteClient(options.pglite)
      : new PgPoolClient({
          connection: options.connection,
          maxConnections: options.maxConnections,
          connectTimeoutMs: options.connectTimeoutMs,
          retryTimeoutMs: options.retryTimeoutMs,
          onConnect: sessionSettings,
          onError: options.onError,
        });
  try {
    const prepared = await client.transaction((sql) =>
      prepareSchema(sql, tables, options.vectorSearch, options.common.dimensions),
    );
    if (prepared.iterativeScan) {
      sessionSettings.push(ITERATIVE_SCAN);
      // The connections opened so far (the pool's, or PGlite's one) get it now.
      await client.query(ITERATIVE_SCAN);
    }
    const cache = options.common.cache;
    if (cache !== undefined) {
      await client.listen(
        tables.channel,
        (payload) => {
          let message: { scope?: unknown; origin?: unknown };
          try {
            message = JSON.parse(payload) as typeof message;
          } catch {
            return;
          }
          if (message.origin === store.origin) return;
          cache.invalidate(typeof message.scope === 'string' ? message.scope : undefined, {
            fromRemote: true,
          });
        },
        // Writes may have gone unheard while the listening connection was down: drop every scope.
        () => cache.invalidate(undefined, { fromRemote: true }),
      );
    }
    return new PostgresEngine({
      client,
      tables,
      vectorSearch: options.vectorSearch,
      dimensions: prepared.dimensions,
      origin: store.origin,
    });
  } catch (error) {
    await client.close().catch(() => {});
    if (error instanceof MemoryError && error.code !== 'MEMORY_STORAGE_FAILED') throw error;
    throw new MemoryError(
      'MEMORY_OPEN_FAILED',
      `cannot open the PostgreSQL memory store: ${describeError(error)}`,
      { cause: error },
    );
  }
}

/**
 * Durable agent memory in PostgreSQL, shared by every server that opens the same database: rows
 * and a `tsvector` (ranked by `ts_rank`) in one table, vectors in another (pgvector HNSW, or exact
 * cosine in SQL), fused by reciprocal rank like the SQLite store. Migrations run at open under an
 * advisory lock; every write NOTIFYs the other servers, whose memory-search caches drop the scope.
 */
export class PostgresMemoryStore extends EngineStore {
  /** This store's name in its NOTIFY messages. */
  readonly origin: string;
  readonly vectorSearch: VectorSearch;
  readonly schema: string;

  /** Starts opening at once; await `ready` (or any call) for the outcome. `open()` does both. */
  constructor(options: PostgresMemoryStoreOptions) {
    const resolved = resolveOptions(options);
    const named = { origin: randomBytes(6).toString('hex') };
    const init: EngineStoreInit = {
      engine: 'postgres',
      options: resolved.common,
      database: openEngine(resolved, named),
    };
    super(init);
    this.origin = named.origin;
    this.vectorSearch = resolved.vectorSearch;
    this.schema = resolved.schema;
  }

  /** Opens the store, migrating it under an advisory lock; rejects with a `MemoryError` saying why it cannot. */
  static async open(options: PostgresMemoryStoreOptions): Promise<PostgresMemoryStore> {
    const store = new PostgresMemoryStore(options);
    await store.ready;
    return store;
  }
}
