import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { describe } from './describe.js';
import type { LLMCacheRedisError } from './errors.js';
import type { Logger } from './logger.js';
import {
  assertKnownKeys,
  assertObject,
  errorHandler,
  logger,
  nonEmptyString,
  positiveInteger,
  redisSource,
} from './validate.js';

/**
 * What the relay needs of a cache: `MemorySearchCache` from `@lunar/memory-cache` fits (so does
 * anything with these two methods).
 */
export interface InvalidationTarget {
  onInvalidate(listener: (event: { scope: string | undefined }) => void): () => void;
  invalidate(scope?: string, options?: { fromRemote?: boolean }): void;
}

export interface RedisInvalidationRelayOptions {
  /** An ioredis client (yours: the relay never closes it) or a `redis://` URL (the relay's own client). */
  redis: Redis | string;
  /** The cache whose invalidations are sent to, and applied from, the other replicas. */
  cache: InvalidationTarget;
  /** The pub/sub channel; every replica of one cache uses the same. Default `'lunar:memory:invalidate'`. */
  channel?: string;
  /** This replica's id in messages, so it skips its own. Default: a random UUID. */
  replicaId?: string;
  /** Scopes kept while Redis is down, sent when it is back; past it, one "all scopes" is sent. Default 1,000. */
  maxPending?: number;
  /** Longest a PUBLISH may take before Redis counts as down. Default 250 ms. */
  commandTimeoutMs?: number;
  /** Hears state changes ('redis unavailable', 'redis back'); `false`: silent. Default `console`. */
  logger?: Logger | false;
  /** Hears every failed PUBLISH (the invalidation is kept and sent later). Default: none. */
  onError?: (error: LLMCacheRedisError) => void;
}

export interface ResolvedRelayOptions {
  redis: Redis | string;
  cache: InvalidationTarget;
  channel: string;
  replicaId: string;
  maxPending: number;
  commandTimeoutMs: number;
  logger: Logger | undefined;
  onError: ((error: LLMCacheRedisError) => void) | undefined;
}

const KNOWN = [
  'redis',
  'cache',
  'channel',
  'replicaId',
  'maxPending',
  'commandTimeoutMs',
  'logger',
  'onError',
] as const;

export function resolveRelayOptions(options: RedisInvalidationRelayOptions): ResolvedRelayOptions {
  assertObject('options', options);
  assertKnownKeys('', options, KNOWN);
  const cache = options.cache as Partial<Record<keyof InvalidationTarget, unknown>> | undefined;
  if (typeof cache?.onInvalidate !== 'function' || typeof cache.invalidate !== 'function') {
    throw new TypeError(
      `Expected \`cache\` to have onInvalidate() and invalidate() (a MemorySearchCache), got ${describe(options.cache)}`,
    );
  }
  return {
    redis: redisSource(options.redis),
    cache: options.cache,
    channel: nonEmptyString('channel', options.channel, 'lunar:memory:invalidate'),
    replicaId: nonEmptyString('replicaId', options.replicaId, randomUUID(), 128),
    maxPending: positiveInteger('maxPending', options.maxPending, 1000),
    commandTimeoutMs: positiveInteger('commandTimeoutMs', options.commandTimeoutMs, 250),
    logger: logger(options.logger),
    onError: errorHandler(options.onError),
  };
}
