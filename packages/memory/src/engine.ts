import type { Memory, MemorySearchResult, ScopeSummary } from './types.js';

/** A memory checked and ready to store. */
export interface DraftRow {
  text: string;
  scope: string;
  /** Metadata as JSON text, or null for none. */
  metadataJson: string | null;
}

/** One hybrid search, its inputs already checked and embedded. */
export interface RankQuery {
  /** The query's words (`queryTerms`); empty skips the full-text ranking. */
  terms: string[];
  /** The L2-normalised query embedding; a zero vector skips the vector ranking. */
  vector: Float32Array;
  scope: string | undefined;
  k: number;
}

/**
 * What a database does for a memory store: the SQL side. `EngineStore` does the rest (checking
 * input, embedding, invalidating the cache), the same for every engine. Failures are `MemoryError`s.
 */
export interface MemoryEngine {
  /** The vector length fixed in the database, if any (another process may have fixed it). */
  readDimensions(): Promise<number | undefined>;
  /**
   * Stores the rows with their vectors in one transaction: all or none. Fixes the dimension on the
   * very first write (under a lock, so two first writes agree), else checks it. Resolves to the ids.
   */
  insert(rows: DraftRow[], vectors: Float32Array[], createdAt: number): Promise<number[]>;
  /** Both rankings, each bounded and filtered to the scope, fused by reciprocal rank, the top k loaded. */
  rank(query: RankQuery): Promise<MemorySearchResult[]>;
  get(rowid: number): Promise<Memory | undefined>;
  list(scope: string | undefined, limit: number, offset: number): Promise<Memory[]>;
  count(scope: string | undefined): Promise<number>;
  /** Deletes a row from every table in one transaction; resolves to its scope, or undefined when none. */
  remove(rowid: number): Promise<string | undefined>;
  scopes(): Promise<ScopeSummary[]>;
  /** See `MemoryStore.syncInvalidations`. */
  syncInvalidations(): Promise<void>;
  close(): Promise<void>;
}
