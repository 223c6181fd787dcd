/** Turns texts into vectors; the agent wires Ollama's `/api/embed` (through an embedding cache) here. */
export interface Embedder {
  /** One vector per text, in order. All vectors of one store must have the same length. */
  embed(texts: string[], options?: { signal?: AbortSignal }): Promise<number[][]>;
}

/** The part of `@lunar/memory-cache` the store needs: drop cached searches of a scope after a write. */
export interface MemorySearchInvalidator {
  /** Called after each committed write or delete with the scope it touched. */
  invalidate(scope?: string): void;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Free-form JSON object stored beside a memory, returned as given. */
export type MemoryMetadata = { [key: string]: JsonValue };

/** One stored memory. */
export interface Memory {
  /** `mem_` followed by the SQLite rowid in decimal, e.g. `mem_42`; never reused after a delete. */
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
  /** Place in the BM25 (full-text) ranking, when the text matched the query's words. */
  bm25Rank?: number;
  /** Place in the vector (cosine) ranking. */
  vectorRank?: number;
}

export interface MemoryStoreOptions {
  /** A file path, or `':memory:'` for a store that lives and dies with the process. */
  path: string;
  embedder: Embedder;
  /** Vector length. Default: fixed by the first embedding stored, then kept in the file. */
  dimensions?: number;
  /** Invalidated for the written scope after every committed add or delete. */
  cache?: MemorySearchInvalidator;
  /** Clock for `createdAt`. Default `Date.now`. */
  now?: () => number;
  /** How long a write waits for another connection's lock, in ms. Default 5000. */
  busyTimeoutMs?: number;
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

export interface SearchMemoryOptions {
  /** How many results, 1 to 100. Default 5. */
  k?: number;
  /** Only this scope. Default: every scope. */
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
