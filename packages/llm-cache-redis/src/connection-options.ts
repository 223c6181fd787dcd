import type { Redis } from 'ioredis';
import type { LLMCacheRedisError } from './errors.js';
import type { Logger } from './logger.js';
import { errorHandler, logger, positiveInteger, redisSource } from './validate.js';

/** How a store or a relay reaches Redis and reports on it. */
export interface RedisConnectionOptions {
  /** An ioredis client (yours: it is never closed for you) or a `redis://` URL (a client of its own). */
  redis: Redis | string;
  /** Longest a Redis command may take before Redis counts as down. Default 250 ms. */
  commandTimeoutMs?: number;
  /** Hears state changes ('redis unavailable', 'redis back'); `false`: silent. Default `console`. */
  logger?: Logger | false;
  /** Hears every failed command and unreadable value; the work goes on without Redis. Default: none. */
  onError?: (error: LLMCacheRedisError) => void;
}

export interface ResolvedConnection {
  redis: Redis | string;
  commandTimeoutMs: number;
  logger: Logger | undefined;
  onError: ((error: LLMCacheRedisError) => void) | undefined;
}

export const CONNECTION_OPTIONS = ['redis', 'commandTimeoutMs', 'logger', 'onError'] as const;

export function resolveConnection(options: RedisConnectionOptions): ResolvedConnection {
  return {
    redis: redisSource(options.redis),
    commandTimeoutMs: positiveInteger('commandTimeoutMs', options.commandTimeoutMs, 250),
    logger: logger(options.logger),
    onError: errorHandler(options.onError),
  };
}
