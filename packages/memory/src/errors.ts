/** Stable codes a caller can branch on; every `MemoryError` carries one. */
export type MemoryErrorCode =
  /** Bad text, scope, metadata, id, k, limit, offset or session given to a method. */
  | 'MEMORY_INVALID_INPUT'
  /** An embedding's length differs from the dimension fixed for this store. */
  | 'MEMORY_DIMENSION_MISMATCH'
  /** The embedder threw, or returned something that is not one finite vector per text. */
  | 'MEMORY_EMBED_FAILED'
  /** The store was closed before or during the call. */
  | 'MEMORY_CLOSED'
  /** The database could not be opened, reached at start, or prepared. */
  | 'MEMORY_OPEN_FAILED'
  /** The database was written by a newer schema (or another vector search) than this version reads. */
  | 'MEMORY_SCHEMA_UNSUPPORTED'
  /** PostgreSQL has no pgvector extension and exact search was not chosen. */
  | 'MEMORY_VECTOR_EXTENSION_MISSING'
  /** The database failed while reading or writing; a failed write left nothing behind. */
  | 'MEMORY_STORAGE_FAILED'
  /** The database could not be reached within the store's retry window. */
  | 'MEMORY_UNREACHABLE'
  /** Too many calls are waiting for the store's threads; try again. */
  | 'MEMORY_BUSY'
  /** The write committed, but the memory-search cache threw while being invalidated. */
  | 'MEMORY_INVALIDATE_FAILED';

export interface MemoryErrorOptions {
  cause?: unknown;
}

/** The one error class of `@lunar/memory` (besides `TypeError` for bad options, and abort reasons). */
export class MemoryError extends Error {
  override readonly name = 'MemoryError';
  readonly code: MemoryErrorCode;

  constructor(code: MemoryErrorCode, message: string, options: MemoryErrorOptions = {}) {
    super(message, options.cause === undefined ? {} : { cause: options.cause });
    this.code = code;
  }
}

/** True when `value` is a `MemoryError` (of `code`, when given). */
export function isMemoryError(value: unknown, code?: MemoryErrorCode): value is MemoryError {
  return value instanceof MemoryError && (code === undefined || value.code === code);
}

/** A short, readable description of a thrown value, for error messages. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
