import type { MemoryError } from './errors.js';
import { PostgresMemoryStore } from './postgres/postgres-memory-store.js';
import type { VectorSearch } from './postgres/postgres-schema.js';
import { SqliteMemoryStore } from './sqlite/sqlite-memory-store.js';
import {
  COMMON_OPTION_NAMES,
  type CommonStoreOptions,
  checkOptionKeys,
  optionError,
} from './store-options.js';
import type { MemoryStore } from './types.js';

export interface CreateMemoryStoreOptions extends CommonStoreOptions {
  /**
   * Where the memories live: a SQLite file path, `':memory:'`, a `postgres://` or `postgresql://`
   * URL, or `'postgres'` alone (connect with the `PG*` environment variables).
   */
  location: string;
  /** SQLite only: worker threads that run the SQL (see `SqliteMemoryStore`). Default 0. */
  threads?: number;
  /** PostgreSQL only: `'pgvector'` (default) or `'exact'` (see `PostgresMemoryStore`). */
  vectorSearch?: VectorSearch;
  /** PostgreSQL only: failures nobody awaits (see `PostgresMemoryStore`). */
  onError?: (error: MemoryError) => void;
}

const OWNER = 'createMemoryStore';
const KNOWN = [...COMMON_OPTION_NAMES, 'location', 'threads', 'vectorSearch', 'onError'];

/** True when `location` names PostgreSQL rather than a SQLite file. */
export function isPostgresLocation(location: string): boolean {
  return location === 'postgres' || /^postgres(ql)?:\/\//.test(location);
}

/**
 * The store a location names: `SqliteMemoryStore` for a file, `PostgresMemoryStore` for a server.
 * Returns at once; await `store.ready` to know it opened (a SQLite file on the calling thread is
 * opened here, and a failure throws here).
 */
export function createMemoryStore(options: CreateMemoryStoreOptions): MemoryStore {
  checkOptionKeys(OWNER, options, KNOWN);
  const { location, threads, vectorSearch, onError, ...common } = options;
  if (typeof location !== 'string' || location === '') {
    throw optionError(OWNER, 'location', "a file path, ':memory:' or a postgres:// URL", location);
  }
  if (isPostgresLocation(location)) {
    if (threads !== undefined) throw new TypeError(`${OWNER}: options.threads is for SQLite files only`);
    return new PostgresMemoryStore({
      ...common,
      ...(location === 'postgres' ? {} : { connection: location }),
      ...(vectorSearch === undefined ? {} : { vectorSearch }),
      ...(onError === undefined ? {} : { onError }),
    });
  }
  if (vectorSearch !== undefined || onError !== undefined) {
    throw new TypeError(`${OWNER}: options.vectorSearch and options.onError are for PostgreSQL only`);
  }
  return SqliteMemoryStore.open({ ...common, path: location, ...(threads === undefined ? {} : { threads }) });
}
