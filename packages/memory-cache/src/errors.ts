/** Stable codes carried by every {@link MemoryCacheError}. */
export type MemoryCacheErrorCode =
  /**
   * The caller's `signal` aborted the search or lookup (`cause` is `signal.reason`), or the cache
   * aborted a search nobody waits for any more. Such an error is named `'AbortError'`, like the
   * platform's own, so `error.name === 'AbortError'` checks keep working.
   */
  | 'MEMORY_CACHE_ABORTED'
  /** One or more `onInvalidate` listeners threw; the invalidation itself was applied. */
  | 'MEMORY_CACHE_LISTENER_FAILED'
  /** `computeMissing` returned a different number of embeddings than it was asked for. */
  | 'MEMORY_CACHE_EMBEDDING_COUNT_MISMATCH';

/** The one error class of this package (errors thrown by your search function pass through unchanged). */
export class MemoryCacheError extends Error {
  readonly code: MemoryCacheErrorCode;

  constructor(code: MemoryCacheErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = code === 'MEMORY_CACHE_ABORTED' ? 'AbortError' : 'MemoryCacheError';
    this.code = code;
  }
}

/** True when `value` is a {@link MemoryCacheError}, and carries `code` when one is given. */
export function isMemoryCacheError(value: unknown, code?: MemoryCacheErrorCode): value is MemoryCacheError {
  return value instanceof MemoryCacheError && (code === undefined || value.code === code);
}
