import { EngineStore, type EngineStoreInit } from '../engine-store.js';
import {
  COMMON_OPTION_NAMES,
  type CommonStoreOptions,
  checkOptionKeys,
  integerOption,
  optionError,
  resolveCommonOptions,
} from '../store-options.js';
import { SqliteDatabase } from './sqlite-database.js';
import { SqliteInline } from './sqlite-inline.js';
import { SqliteThreads } from './sqlite-threads.js';

export interface SqliteMemoryStoreOptions extends CommonStoreOptions {
  /** A file path, or `':memory:'` for a store that lives and dies with the process. */
  path: string;
  /** How long a write waits for another connection's lock, in ms. Default 5000. */
  busyTimeoutMs?: number;
  /**
   * Worker threads that run the SQL, so a search never blocks the event loop: 0 (default) runs it
   * on the calling thread; n opens n connections, one per thread (the first also writes). A
   * `':memory:'` store lives in one connection, so it takes at most 1.
   */
  threads?: number;
  /** With threads: calls waiting for a thread at most; past it `MEMORY_BUSY`. Default 1000. */
  maxQueue?: number;
}

const OWNER = 'SqliteMemoryStore';
const KNOWN = [...COMMON_OPTION_NAMES, 'path', 'busyTimeoutMs', 'threads', 'maxQueue'];
/** Most worker threads one store starts. */
export const MAX_THREADS = 16;

/**
 * Durable agent memory in one SQLite file (better-sqlite3, WAL): rows in `memories`, BM25 over FTS5,
 * cosine KNN over sqlite-vec, fused by reciprocal rank. The embedded default: nothing to set up.
 */
export class SqliteMemoryStore extends EngineStore {
  readonly path: string;
  /** Worker threads running the SQL (0: the calling thread). */
  readonly threads: number;

  private constructor(path: string, threads: number, init: EngineStoreInit) {
    super(init);
    this.path = path;
    this.threads = threads;
  }

  /**
   * Opens (creating or upgrading) the store at `options.path`. With `threads: 0` the file is open
   * when this returns (a failure throws here); with threads, await `ready` (or any call) for that.
   */
  static open(options: SqliteMemoryStoreOptions): SqliteMemoryStore {
    checkOptionKeys(OWNER, options, KNOWN);
    const common = resolveCommonOptions(OWNER, options);
    const { path } = options;
    if (typeof path !== 'string' || path === '')
      throw optionError(OWNER, 'path', "a file path or ':memory:'", path);
    const busyTimeoutMs = integerOption(OWNER, 'busyTimeoutMs', options.busyTimeoutMs, {
      min: 0,
      max: 2 ** 31 - 1,
      fallback: 5000,
    });
    const threads = integerOption(OWNER, 'threads', options.threads, {
      min: 0,
      max: path === ':memory:' ? 1 : MAX_THREADS,
      fallback: 0,
    });
    const maxQueue = integerOption(OWNER, 'maxQueue', options.maxQueue, {
      min: 1,
      max: 1_000_000,
      fallback: 1000,
    });
    const database = { path, busyTimeoutMs, dimensions: common.dimensions };
    if (threads === 0) {
      const opened = new SqliteDatabase(database);
      return new SqliteMemoryStore(path, 0, {
        engine: 'sqlite',
        options: common,
        database: Promise.resolve(new SqliteInline(opened)),
        dimensions: opened.readDimensions(),
      });
    }
    return new SqliteMemoryStore(path, threads, {
      engine: 'sqlite',
      options: common,
      database: SqliteThreads.open({ ...database, threads, maxQueue }),
    });
  }
}
