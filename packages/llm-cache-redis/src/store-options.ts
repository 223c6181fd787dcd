import {
  CONNECTION_OPTIONS,
  type RedisConnectionOptions,
  type ResolvedConnection,
  resolveConnection,
} from './connection-options.js';
import {
  assertKnownKeys,
  assertObject,
  nonEmptyString,
  positiveInteger,
  shown,
  threshold,
} from './validate.js';

/** The in-process tier in front of Redis. */
export interface LocalTierOptions {
  /** Most entries kept locally. Default 1,000. */
  maxEntries?: number;
  /** Most estimated bytes kept locally (each entry's `size`). Default 32 MiB. */
  maxBytes?: number;
}

export interface RedisCacheStoreOptions extends RedisConnectionOptions {
  /** Put before every key and the events channel, so several caches can share one Redis. Default `'lunar:llm:'`. */
  prefix?: string;
  /** The local tier's bounds, or `false` for none (every read goes to Redis). Default `{}`. */
  local?: LocalTierOptions | false;
  /** Life of a cross-replica lock, renewed while its holder is alive. Default 10,000 ms. */
  lockMs?: number;
  /** Most `waitFor` calls waiting at once; past it `waitFor` resolves `undefined` (compute here). Default 1,000. */
  maxWaiters?: number;
  /** How often a waiter looks at Redis while the events channel is not heard. Default 100 ms. */
  pollIntervalMs?: number;
  /** Values longer than this (bytes of JSON) are gzipped; `Infinity`: never. Default 1,024. */
  compressAboveBytes?: number;
}

export interface ResolvedStoreOptions extends ResolvedConnection {
  prefix: string;
  local: { maxEntries: number; maxBytes: number } | undefined;
  lockMs: number;
  maxWaiters: number;
  pollIntervalMs: number;
  compressAboveBytes: number;
}

const KNOWN = [
  ...CONNECTION_OPTIONS,
  'prefix',
  'local',
  'lockMs',
  'maxWaiters',
  'pollIntervalMs',
  'compressAboveBytes',
] as const;

export function resolveStoreOptions(options: RedisCacheStoreOptions): ResolvedStoreOptions {
  assertObject('options', options);
  assertKnownKeys('', options, KNOWN);
  return {
    ...resolveConnection(options),
    prefix: nonEmptyString('prefix', options.prefix, 'lunar:llm:'),
    local: resolveLocal(options.local),
    lockMs: positiveInteger('lockMs', options.lockMs, 10_000),
    maxWaiters: positiveInteger('maxWaiters', options.maxWaiters, 1000),
    pollIntervalMs: positiveInteger('pollIntervalMs', options.pollIntervalMs, 100),
    compressAboveBytes: threshold('compressAboveBytes', options.compressAboveBytes, 1024),
  };
}

function resolveLocal(local: unknown): ResolvedStoreOptions['local'] {
  if (local === false) return undefined;
  const tier = local ?? {};
  if (typeof tier !== 'object' || tier === null || Array.isArray(tier)) {
    throw new TypeError(`Expected \`local\` to be an object or false, got ${shown(tier)}`);
  }
  const bounds = tier as Record<string, unknown>;
  assertKnownKeys('local', bounds, ['maxEntries', 'maxBytes']);
  return {
    maxEntries: positiveInteger('local.maxEntries', bounds.maxEntries, 1000),
    maxBytes: positiveInteger('local.maxBytes', bounds.maxBytes, 32 * 1024 * 1024),
  };
}
