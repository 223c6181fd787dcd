/** Stable codes a caller can branch on. */
export type MemoryCacheErrorCode =
  | 'MEMORY_CACHE_ABORTED'
  | 'MEMORY_CACHE_LISTENER_FAILED'
  | 'MEMORY_CACHE_EMBEDDING_COUNT_MISMATCH';

/** Base class of every error this package creates (errors thrown by your search function pass through unchanged). */
export class MemoryCacheError extends Error {
  readonly code: MemoryCacheErrorCode;

  constructor(message: string, options: { code: MemoryCacheErrorCode; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = 'MemoryCacheError';
    this.code = options.code;
  }
}

/**
 * The caller's `signal` aborted. Named `AbortError` like the platform's own, so `error.name === 'AbortError'`
 * checks keep working; `cause` is `signal.reason`.
 */
export class MemoryCacheAbortError extends MemoryCacheError {
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'MEMORY_CACHE_ABORTED', cause });
    this.name = 'AbortError';
  }
}
