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
  threshold,
} from './validate.js';

/** The in-process tier in front of Redis. */
export interface LocalTierOptions {
  /** Most entries kept locally. Default 1,000. */
  maxEntries?: number;
  /** Most estimated bytes kept locally (each entry's `size`). Default 32 MiB. */
  maxBytes?: number;
}

export interface RedisCacheStoreOptions {
  /** An ioredis client (yours: the store never closes it) or a `redis://` URL (the store's own client). */
  redis: Redis | string;
  /** Put before every key and the events channel, so several caches can share one Redis. Default `'lunar:llm:'`. */
  prefix?: string;
  /** The local tier's bounds, or `false` for none (every read goes to Redis). Default `{}`. */
  local?: LocalTierOptions | false;
  /** Life of a cross-replica lock, renewed while its holder is alive. Default 10,000 ms. */
  lockMs?: number;
  /** Longest a Redis command may take before Redis counts as down. Default 250 ms. */
  commandTimeoutMs?: number;
  /** Most `waitFor` calls waiting at once; past it `waitFor` resolves `undefined` (compute here). Default 1,000. */
  maxWaiters?: number;
  /** How often a waiter looks at Redis while the events channel is not heard. Default 100 ms. */
  pollIntervalMs?: number;
  /** Values longer than this (bytes of JSON) are gzipped; `Infinity`: never. Default 1,024. */
  compressAboveBytes?: number;
  /** Hears state changes ('redis unavailable', 'redis back'); `false`: silent. Default `console`. */
  logger?: Logger | false;
  /** Hears every failed command and unreadable value (the cache call goes on). Default: none. */
  onError?: (error: LLMCacheRedisError) => void;
}

export interface ResolvedStoreOptions {
  redis: Redis | string;
  prefix: string;
  local: { maxEntries: number; maxBytes: number } | undefined;
  lockMs: number;
  commandTimeoutMs: number;
  maxWaiters: number;
  pollIntervalMs: number;
  compressAboveBytes: number;
  logger: Logger | undefined;
  onError: ((error: LLMCacheRedisError) => void) | undefined;
}

const KNOWN = [
  'redis',
  'prefix',
  'local',
  'lockMs',
  'commandTimeoutMs',
  'maxWaiters',
  'pollIntervalMs',
  'compressAboveBytes',
  'logger',
  'onError',
] as const;

export function resolveStoreOptions(options: RedisCacheStoreOptions): ResolvedStoreOptions {
  assertObject('options', options);
  assertKnownKeys('', options, KNOWN);
  return {
    redis: redisSource(options.redis),
    prefix: nonEmptyString('prefix', options.prefix, 'lunar:llm:'),
    local: resolveLocal(options.local),
    lockMs: positiveInteger('lockMs', options.lockMs, 10_000),
    commandTimeoutMs: positiveInteger('commandTimeoutMs', options.commandTimeoutMs, 250),
    maxWaiters: positiveInteger('maxWaiters', options.maxWaiters, 1000),
    pollIntervalMs: positiveInteger('pollIntervalMs', options.pollIntervalMs, 100),
    compressAboveBytes: threshold('compressAboveBytes', options.compressAboveBytes, 1024),
    logger: logger(options.logger),
    onError: errorHandler(options.onError),
  };
}

function resolveLocal(local: unknown): ResolvedStoreOptions['local'] {
  if (local === false) return undefined;
  const tier = local ?? {};
  if (typeof tier !== 'object' || tier === null || Array.isArray(tier)) {
    throw new TypeError(`Expected \`local\` to be an object or false, got ${describe(tier)}`);
  }
  const bounds = tier as Record<string, unknown>;
  assertKnownKeys('local', bounds, ['maxEntries', 'maxBytes']);
  return {
    maxEntries: positiveInteger('local.maxEntries', bounds.maxEntries, 1000),
    maxBytes: positiveInteger('local.maxBytes', bounds.maxBytes, 32 * 1024 * 1024),
  };
}
