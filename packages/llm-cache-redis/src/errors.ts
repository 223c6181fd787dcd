/** Stable codes carried by every {@link LLMCacheRedisError}. */
export type LLMCacheRedisErrorCode =
  /** Redis is down (or was marked down after a slow or failed command); the command was not sent. */
  | 'LLM_CACHE_REDIS_UNAVAILABLE'
  /** A command took longer than `commandTimeoutMs`. */
  | 'LLM_CACHE_REDIS_TIMEOUT'
  /** Redis answered with an error (out of memory, wrong type, read-only replica...). */
  | 'LLM_CACHE_REDIS_COMMAND_FAILED'
  /** A value read from Redis is not a cache entry this package wrote. */
  | 'LLM_CACHE_REDIS_INVALID_VALUE';

/**
 * Base class of the errors this package creates. None ever fails a cache call: each is counted in
 * `stats().errors` and handed to the `onError` option; the original error is its `cause`.
 */
export class LLMCacheRedisError extends Error {
  override readonly name = 'LLMCacheRedisError';
  readonly code: LLMCacheRedisErrorCode;

  constructor(code: LLMCacheRedisErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** True when `value` is an {@link LLMCacheRedisError}, and carries `code` when one is given. */
export function isLLMCacheRedisError(
  value: unknown,
  code?: LLMCacheRedisErrorCode,
): value is LLMCacheRedisError {
  return value instanceof LLMCacheRedisError && (code === undefined || value.code === code);
}
