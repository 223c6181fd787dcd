/** Turns texts into vectors; the agent wires Ollama's `/api/embed` (through an embedding cache) here. */
export interface Embedder {
  /** One vector per text, in order. All vectors of one store must have the same length. */
  embed(texts: string[], options?: { signal?: AbortSignal }): Promise<number[][]>;
}

/**
 * The part of `@lunar/memory-cache`'s `MemorySearchCache` a store needs: drop cached searches of a
 * scope after a write. `fromRemote` marks an invalidation that came from another server.
 */
export interface MemorySearchInvalidator {
  /** Called after each committed write or delete with the scope it touched. */
  invalidate(scope?: string, options?: { fromRemote?: boolean }): void;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Free-form JSON object stored beside a memory, returned as given. */
export type MemoryMetadata = { [key: string]: JsonValue };

/** One stored memory. */
export interface Memory {
  /** `mem_` followed by the row's number in decimal, e.g. `mem_42`; never reused after a delete. */
  id: string;
  text: string;
  scope: string;
  /** `{}` when none was given. */
  metadata: MemoryMetadata;
  /** Milliseconds since the Unix epoch, from the store's `now` option. */
  createdAt: number;
}

/** One search hit: the memory, its fused score, and its 1-based place in each ranking that found it. */
export interface MemorySearchResult extends Memory {
  /** Reciprocal rank fusion score: the sum over rankings of 1 / (60 + rank). Higher is better. */
  score: number;
  /**
   * Place in the full-text ranking, when the text matched the query's words (BM25 over FTS5 on
   * SQLite, `ts_rank` over a `tsvector` on PostgreSQL).
   */
  bm25Rank?: number;
  /** Place in the vector (cosine) ranking. */
  vectorRank?: number;
}

/** How many memories one scope holds. */
export interface ScopeSummary {
  scope: string;
  count: number;
}

export interface AddMemoryOptions {
  /** Default `'default'`. */
  scope?: string;
  metadata?: MemoryMetadata;
  signal?: AbortSignal;
}

export interface NewMemory {
  text: string;
  scope?: string;
  metadata?: MemoryMetadata;
}

export interface AddManyOptions {
  signal?: AbortSignal;
  /** Embeds these texts instead of the store's embedder. */
  embedder?: Embedder;
}

export interface SearchMemoryOptions {
  /** How many results, 1 to 100. Default 5. */
  k?: number;
  /** Only this scope, filtered inside both rankings. Default: every scope. */
  scope?: string;
  signal?: AbortSignal;
  /** Embeds the query for this search instead of the store's embedder (e.g. one with a cache). */
  embedder?: Embedder;
}

export interface ListMemoryOptions {
  /** Only this scope. Default: every scope. */
  scope?: string;
  /** 1 to 1000. Default 50. */
  limit?: number;
  /** Default 0. */
  offset?: number;
}

/** Which engine holds the memories. */
export type MemoryEngineName = 'sqlite' | 'postgres';

/**
 * Durable agent memory: add, hybrid search (full text and vectors, fused by reciprocal rank), list,
 * delete. Implemented by `SqliteMemoryStore` (one file, the embedded default) and
 * `PostgresMemoryStore` (one database shared by several servers). Every method is asynchronous and
 * fails with a `MemoryError`.
 */
export interface MemoryStore {
  readonly engine: MemoryEngineName;
  /** The vector length of this store, once fixed (by the option or the first memory). */
  readonly dimensions: number | undefined;
  readonly closed: boolean;
  /** Resolves once the store can serve; rejects with why it cannot (`MEMORY_OPEN_FAILED`, ...). */
  readonly ready: Promise<void>;
  /** Embeds and stores one memory; resolves once it is committed and durable. */
  add(text: string, options?: AddMemoryOptions): Promise<Memory>;
  /** Stores up to 1000 memories with one embedder call and one transaction: all or none. */
  addMany(items: readonly NewMemory[], options?: AddManyOptions): Promise<Memory[]>;
  /** Hybrid search: full-text and vector rankings, each filtered to `scope`, fused by reciprocal rank. */
  search(query: string, options?: SearchMemoryOptions): Promise<MemorySearchResult[]>;
  /** The memory with this id, or `undefined` when there is none (a malformed id throws). */
  get(id: string): Promise<Memory | undefined>;
  /** Memories newest first, optionally of one scope. */
  list(options?: ListMemoryOptions): Promise<Memory[]>;
  /** How many memories, in one scope or in all. */
  count(scope?: string): Promise<number>;
  /** Deletes a memory; `false` when the id is unknown. Invalidates its scope after the commit. */
  delete(id: string): Promise<boolean>;
  /**
   * Resolves once every write committed before the call, by any server sharing this store, has
   * reached `cache` (invalidated it). Await it before a cached search that must see them: on
   * PostgreSQL one round trip on the connection that listens for other servers' writes; on SQLite
   * at once (its writes invalidate as they commit).
   */
  syncInvalidations(): Promise<void>;
  /** Every scope that holds a memory, with its count, by name. */
  scopes(): Promise<ScopeSummary[]>;
  /** Closes the store. Idempotent; any later call, or a write still embedding, fails with `MEMORY_CLOSED`. */
  close(): Promise<void>;
}
