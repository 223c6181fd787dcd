import { randomUUID } from 'node:crypto';
import {
  CONNECTION_OPTIONS,
  type RedisConnectionOptions,
  type ResolvedConnection,
  resolveConnection,
} from './connection-options.js';
import { assertKnownKeys, assertObject, nonEmptyString, positiveInteger, shown } from './validate.js';

/**
 * What the relay needs of a cache: `MemorySearchCache` from `@lunar/memory-cache` fits (so does
 * anything with these two methods).
 */
export interface InvalidationTarget {
  onInvalidate(listener: (event: { scope: string | undefined }) => void): () => void;
  invalidate(scope?: string, options?: { fromRemote?: boolean }): void;
}

export interface RedisInvalidationRelayOptions extends RedisConnectionOptions {
  /** The cache whose invalidations are sent to, and applied from, the other replicas. */
  cache: InvalidationTarget;
  /** The pub/sub channel; every replica of one cache uses the same. Default `'lunar:memory:invalidate'`. */
  channel?: string;
  /** This replica's id in messages, so it skips its own. Default: a random UUID. */
  replicaId?: string;
  /** Scopes kept while Redis is down, sent when it is back; past it, one "all scopes" is sent. Default 1,000. */
  maxPending?: number;
}

export interface ResolvedRelayOptions extends ResolvedConnection {
  cache: InvalidationTarget;
  channel: string;
  replicaId: string;
  maxPending: number;
}

const KNOWN = [...CONNECTION_OPTIONS, 'cache', 'channel', 'replicaId', 'maxPending'] as const;

export function resolveRelayOptions(options: RedisInvalidationRelayOptions): ResolvedRelayOptions {
  assertObject('options', options);
  assertKnownKeys('', options, KNOWN);
  const cache = options.cache as Partial<Record<keyof InvalidationTarget, unknown>> | undefined;
  if (typeof cache?.onInvalidate !== 'function' || typeof cache.invalidate !== 'function') {
    throw new TypeError(
      `Expected \`cache\` to have onInvalidate() and invalidate() (a MemorySearchCache), got ${shown(options.cache)}`,
    );
  }
  return {
    ...resolveConnection(options),
    cache: options.cache,
    channel: nonEmptyString('channel', options.channel, 'lunar:memory:invalidate'),
    replicaId: nonEmptyString('replicaId', options.replicaId, randomUUID(), 128),
    maxPending: positiveInteger('maxPending', options.maxPending, 1000),
  };
}
