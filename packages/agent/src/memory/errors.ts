/** Stable codes a caller can branch on; every `MemoryStoreError` carries one. */
export type MemoryStoreErrorCode =
  /** Bad text, scope, metadata, id, k, limit or offset given to a method. */
  | 'MEMORY_INVALID_INPUT'
  /** An embedding's length differs from the dimension fixed for this store. */
  | 'MEMORY_DIMENSION_MISMATCH'
  /** The embedder threw, or returned something that is not one finite vector per text. */
  | 'MEMORY_EMBED_FAILED'
  /** The store was closed before or during the call. */
  | 'MEMORY_CLOSED'
  /** The database file could not be opened or prepared. */
  | 'MEMORY_OPEN_FAILED'
  /** The file was written by a newer schema than this version can read. */
  | 'MEMORY_SCHEMA_UNSUPPORTED'
  /** SQLite failed while reading or writing; a failed write left nothing behind. */
  | 'MEMORY_STORAGE_FAILED'
  /** The write committed, but the memory-search cache threw while being invalidated. */
  | 'MEMORY_INVALIDATE_FAILED';

/** The one error class the memory store throws (besides `TypeError` for bad options and abort reasons). */
export class MemoryStoreError extends Error {
  override readonly name = 'MemoryStoreError';
  readonly code: MemoryStoreErrorCode;

  constructor(code: MemoryStoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** A short, readable description of a thrown value, for error messages. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
