/** Stable codes carried by every {@link LLMCacheError}. */
export type LLMCacheErrorCode =
  /** The request cannot be turned into a key (not an object, a BigInt, nested too deep). */
  | 'LLM_CACHE_INVALID_REQUEST'
  /** The store threw or rejected. Reported through `onStoreError`; the call itself goes on. */
  | 'LLM_CACHE_STORE_FAILED'
  /** The store returned something that is not a cache entry. Reported through `onStoreError`. */
  | 'LLM_CACHE_INVALID_ENTRY';

/** Base class of the errors this package creates. Upstream errors reach callers unchanged. */
export class LLMCacheError extends Error {
  override readonly name = 'LLMCacheError';
  readonly code: LLMCacheErrorCode;

  constructor(code: LLMCacheErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** True when `value` is an {@link LLMCacheError}, and carries `code` when one is given. */
export function isLLMCacheError(value: unknown, code?: LLMCacheErrorCode): value is LLMCacheError {
  return value instanceof LLMCacheError && (code === undefined || value.code === code);
}
