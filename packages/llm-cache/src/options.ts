import type { CacheStore } from './cache-store.js';
import { describe } from './describe.js';
import type { LLMCacheError } from './errors.js';
import type { CacheMode, CachePolicy, LLMRoute } from './types.js';
import {
  assertKnownOptions,
  assertOneOf,
  assertPositiveDuration,
  assertPositiveInteger,
  assertSignal,
} from './validate.js';

export interface LLMCacheOptions {
  /** Most answers kept by the default memory store. Default 10,000. */
  maxEntries?: number;
  /** Most estimated bytes kept by the default memory store. Default 64 MiB. */
  maxBytes?: number;
  /**
   * Largest answer recorded and stored, in estimated bytes; also the bound on what one stream
   * buffers for joiners. Default 4 MiB, or `maxBytes` if smaller.
   */
  maxEntryBytes?: number;
  /** How long an answer is served, in ms (Infinity: until evicted). Default 1 hour. */
  ttlMs?: number;
  /** Which requests may be cached. Default `'deterministic'`. */
  policy?: CachePolicy;
  /** Where answers live. Default: a {@link MemoryCacheStore} sized by `maxEntries`/`maxBytes`. */
  store?: CacheStore;
  /** Part of every key: caches with different namespaces never share answers. Default `'default'`. */
  namespace?: string;
  /** Called with every store failure (the call itself goes on as a miss). Default: none. */
  onStoreError?: (error: LLMCacheError) => void;
  /** With a store that has `acquire`: how long a cross-process claim lasts, in ms. Default 60,000. */
  leaseMs?: number;
  /** With a store that has `acquire`: longest wait for another process's answer. Default 30,000. */
  joinTimeoutMs?: number;
}

export interface ResolvedOptions {
  maxEntries: number;
  maxBytes: number;
  maxEntryBytes: number;
  ttlMs: number;
  policy: CachePolicy;
  store: CacheStore | undefined;
  namespace: string;
  onStoreError: ((error: LLMCacheError) => void) | undefined;
  leaseMs: number;
  joinTimeoutMs: number;
}

const KNOWN: readonly (keyof LLMCacheOptions)[] = [
  'maxEntries',
  'maxBytes',
  'maxEntryBytes',
  'ttlMs',
  'policy',
  'store',
  'namespace',
  'onStoreError',
  'leaseMs',
  'joinTimeoutMs',
];

export function resolveOptions(options: LLMCacheOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`Expected options to be an object, got ${describe(options)}`);
  }
  assertKnownOptions(options, KNOWN);
  const { store } = options;
  if (store !== undefined) {
    assertStore(store);
    for (const name of ['maxEntries', 'maxBytes'] as const) {
      if (options[name] !== undefined) {
        throw new TypeError(
          `\`${name}\` sizes the default memory store; with \`store\`, size the store itself`,
        );
      }
    }
  }
  const maxEntries = options.maxEntries ?? 10_000;
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  assertPositiveInteger('maxEntries', maxEntries);
  assertPositiveInteger('maxBytes', maxBytes);
  const maxEntryBytes = options.maxEntryBytes ?? Math.min(4 * 1024 * 1024, maxBytes);
  assertPositiveInteger('maxEntryBytes', maxEntryBytes);
  if (store === undefined && maxEntryBytes > maxBytes) {
    throw new TypeError(
      `Expected \`maxEntryBytes\` (${maxEntryBytes}) to be at most \`maxBytes\` (${maxBytes})`,
    );
  }
  const ttlMs = options.ttlMs ?? 60 * 60 * 1000;
  assertPositiveDuration('ttlMs', ttlMs);
  const policy = options.policy ?? 'deterministic';
  if (typeof policy !== 'function') assertOneOf('policy', policy, ['deterministic', 'always']);
  const namespace = options.namespace ?? 'default';
  if (typeof namespace !== 'string' || !/^[\w.-]{1,64}$/.test(namespace)) {
    throw new TypeError(
      `Expected \`namespace\` to be 1-64 letters, digits, '_', '.' or '-', got ${describe(namespace)}`,
    );
  }
  const { onStoreError } = options;
  if (onStoreError !== undefined && typeof onStoreError !== 'function') {
    throw new TypeError(`Expected \`onStoreError\` to be a function, got ${describe(onStoreError)}`);
  }
  const leaseMs = options.leaseMs ?? 60_000;
  const joinTimeoutMs = options.joinTimeoutMs ?? 30_000;
  assertPositiveInteger('leaseMs', leaseMs);
  assertPositiveInteger('joinTimeoutMs', joinTimeoutMs);
  return {
    maxEntries,
    maxBytes,
    maxEntryBytes,
    ttlMs,
    policy,
    store,
    namespace,
    onStoreError,
    leaseMs,
    joinTimeoutMs,
  };
}

function assertStore(store: unknown): asserts store is CacheStore {
  const candidate = store as Partial<Record<keyof CacheStore, unknown>> | null;
  for (const method of ['get', 'set', 'delete'] as const) {
    if (typeof candidate?.[method] !== 'function') {
      throw new TypeError(`Expected \`store\` to have a ${method}() method, got ${describe(store)}`);
    }
  }
  const { acquire, waitFor } = candidate as Partial<Record<keyof CacheStore, unknown>>;
  if ((acquire === undefined) !== (waitFor === undefined)) {
    throw new TypeError('Expected `store` to have both acquire() and waitFor(), or neither');
  }
}

/** Per-call options of `stream()`. */
export interface StreamOptions {
  /** Default `'default'`. */
  mode?: CacheMode;
  /** Stops this call only; upstream stops when every caller sharing it has stopped. */
  signal?: AbortSignal;
  /** Replay a hit with the recorded gaps between chunks instead of at once. Default false. */
  pace?: boolean;
  /** Route the request is keyed under. Default: inferred (see `cacheKey`). */
  route?: LLMRoute;
}

/** Per-call options of `getOrCompute()`. */
export interface ComputeOptions {
  mode?: CacheMode;
  signal?: AbortSignal;
  route?: LLMRoute;
}

const MODES: readonly CacheMode[] = ['default', 'no-cache', 'no-store', 'refresh', 'bypass'];

const STREAM_OPTIONS: readonly (keyof StreamOptions)[] = ['mode', 'signal', 'pace', 'route'];
const COMPUTE_OPTIONS: readonly (keyof ComputeOptions)[] = ['mode', 'signal', 'route'];

export function checkCallOptions(options: StreamOptions, call: 'stream' | 'compute'): CacheMode {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`Expected call options to be an object, got ${describe(options)}`);
  }
  assertKnownOptions(options, call === 'stream' ? STREAM_OPTIONS : COMPUTE_OPTIONS);
  const mode = options.mode ?? 'default';
  assertOneOf('mode', mode, MODES);
  assertSignal('signal', options.signal);
  if (options.pace !== undefined && typeof options.pace !== 'boolean') {
    throw new TypeError(`Expected \`pace\` to be a boolean, got ${describe(options.pace)}`);
  }
  if (options.route !== undefined && (typeof options.route !== 'string' || options.route === '')) {
    throw new TypeError(`Expected \`route\` to be a non-empty string, got ${describe(options.route)}`);
  }
  return mode;
}
