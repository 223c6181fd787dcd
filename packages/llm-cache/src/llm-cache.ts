import { carriesAnswer, spoilsRecording } from './answer.js';
import { type CacheEntry, isCacheEntry } from './cache-entry.js';
import { assertRequest, cacheKey, inferRoute } from './cache-key.js';
import type { CacheLease, CacheStore } from './cache-store.js';
import { deepFreeze } from './deep-freeze.js';
import { describe } from './describe.js';
import { LLMCacheError } from './errors.js';
import { MemoryCacheStore } from './memory-store.js';
import { mergeChunks } from './merge-chunks.js';
import {
  type ComputeOptions,
  checkCallOptions,
  type LLMCacheOptions,
  type ResolvedOptions,
  resolveOptions,
  type StreamOptions,
} from './options.js';
import { allowsCaching } from './policy.js';
import { replaySource } from './replay-source.js';
import { ReplayStream } from './replay-stream.js';
import { ENTRY_OVERHEAD_BYTES, estimateBytes } from './size.js';
import { StreamFlight, type StreamSource } from './stream-flight.js';
import type { CacheStatus, CacheStream, LLMChunk, LLMRequest, LLMRoute } from './types.js';
import { ValueFlight } from './value-flight.js';

export interface LLMCacheStats {
  /** Entries in the store; undefined when the store does not report it. */
  entries: number | undefined;
  /** Estimated bytes in the store; undefined when the store does not report it. */
  bytes: number | undefined;
  /** Entries the store dropped to make room; undefined when the store does not report it. */
  evictions: number | undefined;
  hits: number;
  misses: number;
  joins: number;
  bypasses: number;
  /** hits / (hits + misses); 0 before any. */
  hitRate: number;
  /** Upstream time of the answers served from the store, in ms. */
  timeSavedMs: number;
  /** Upstream computations running now. */
  inFlight: number;
  /** Store operations that failed (each also went to `onStoreError`). */
  storeErrors: number;
}

/** What a cross-process claim decided: compute under `lease`, or serve `entry` from elsewhere. */
interface Claim {
  lease?: CacheLease;
  entry?: CacheEntry;
}

/** Serves identical LLM calls from memory (or a shared store) and joins identical calls in flight. */
export class LLMCache {
  readonly #options: ResolvedOptions;
  readonly #store: CacheStore;
  readonly #streams = new Map<string, StreamFlight<LLMChunk>>();
  readonly #values = new Map<string, ValueFlight<LLMChunk>>();
  #hits = 0;
  #misses = 0;
  #joins = 0;
  #bypasses = 0;
  #timeSavedMs = 0;
  #storeErrors = 0;

  constructor(options: LLMCacheOptions = {}) {
    this.#options = resolveOptions(options);
    this.#store =
      this.#options.store ??
      new MemoryCacheStore({ maxEntries: this.#options.maxEntries, maxBytes: this.#options.maxBytes });
  }

  /** The key this cache uses for a request. */
  key(request: LLMRequest, route?: LLMRoute): string {
    return cacheKey(request, route, this.#options.namespace);
  }

  /**
   * A streamed call through the cache. `start(signal)` is called on a miss or bypass only and
   * returns the upstream chunks. The result's `status` is settled when the promise resolves.
   */
  async stream<C extends LLMChunk>(
    request: LLMRequest,
    start: (signal: AbortSignal) => StreamSource<C>,
    options: StreamOptions = {},
  ): Promise<CacheStream<C>> {
    const mode = checkCallOptions(options);
    if (typeof start !== 'function')
      throw new TypeError(`Expected \`start\` to be a function, got ${describe(start)}`);
    const { signal } = options;
    signal?.throwIfAborted();
    assertRequest(request);
    const route = options.route ?? inferRoute(request);
    if (mode === 'bypass' || !allowsCaching(this.#options.policy, request, route)) {
      this.#bypasses++;
      const flight = new StreamFlight(start, {
        route,
        maxEntryBytes: this.#options.maxEntryBytes,
        shared: false,
        onRecorded: () => {},
        onClosed: () => {},
      });
      return flight.attach(signal, 'bypass', undefined);
    }
    const key = cacheKey(request, route, this.#options.namespace);
    if (mode === 'default' || mode === 'no-store') {
      const found = this.#read(key);
      const entry = isThenable(found) ? await found : found;
      if (entry !== undefined) {
        signal?.throwIfAborted();
        this.#served(entry);
        return new ReplayStream(key, entry as CacheEntry<C>, options.pace ?? false, signal);
      }
    }
    const running = mode === 'refresh' ? undefined : this.#streams.get(key);
    if (running?.joinable) {
      this.#joins++;
      if (mode !== 'no-store') running.store = true;
      return (running as unknown as StreamFlight<C>).attach(signal, 'joined', key);
    }
    return this.#startStream(key, route, start, mode !== 'no-store', mode !== 'refresh', signal);
  }

  /** A whole-response call through the cache, with the same modes, joining and storing rules. */
  async getOrCompute<V extends LLMChunk>(
    request: LLMRequest,
    compute: (signal: AbortSignal) => PromiseLike<V> | V,
    options: ComputeOptions = {},
  ): Promise<{ value: V; status: CacheStatus }> {
    const mode = checkCallOptions(options);
    if (typeof compute !== 'function') {
      throw new TypeError(`Expected \`compute\` to be a function, got ${describe(compute)}`);
    }
    const { signal } = options;
    signal?.throwIfAborted();
    assertRequest(request);
    const route = options.route ?? inferRoute(request);
    if (mode === 'bypass' || !allowsCaching(this.#options.policy, request, route)) {
      this.#bypasses++;
      return { value: await new ValueFlight(compute, false, () => {}).join(signal), status: 'bypass' };
    }
    const key = cacheKey(request, route, this.#options.namespace);
    if (mode === 'default' || mode === 'no-store') {
      const found = this.#read(key);
      const entry = isThenable(found) ? await found : found;
      if (entry !== undefined) {
        signal?.throwIfAborted();
        this.#served(entry);
        return { value: wholeResponse(entry as CacheEntry<V>), status: 'hit' };
      }
    }
    const running = mode === 'refresh' ? undefined : this.#values.get(key);
    if (running !== undefined) {
      this.#joins++;
      if (mode !== 'no-store') running.store = true;
      return { value: (await running.join(signal)) as V, status: 'joined' };
    }
    return this.#startValue(key, route, compute, mode !== 'no-store', mode !== 'refresh', signal);
  }

  /** Forgets the stored answer to a request. */
  async delete(request: LLMRequest, route?: LLMRoute): Promise<void> {
    await this.#store.delete(this.key(request, route));
  }

  /** Forgets every stored answer (when the store supports it). Calls in flight go on. */
  async clear(): Promise<void> {
    await this.#store.clear?.();
  }

  stats(): LLMCacheStats {
    const store = this.#store.stats?.();
    const lookups = this.#hits + this.#misses;
    return {
      entries: store?.entries,
      bytes: store?.bytes,
      evictions: store?.evictions,
      hits: this.#hits,
      misses: this.#misses,
      joins: this.#joins,
      bypasses: this.#bypasses,
      hitRate: lookups === 0 ? 0 : this.#hits / lookups,
      timeSavedMs: this.#timeSavedMs,
      inFlight: this.#streams.size + this.#values.size,
      storeErrors: this.#storeErrors,
    };
  }

  async #startStream<C extends LLMChunk>(
    key: string,
    route: LLMRoute,
    start: (signal: AbortSignal) => StreamSource<C>,
    store: boolean,
    coordinate: boolean,
    signal: AbortSignal | undefined,
  ): Promise<CacheStream<C>> {
    let source = start;
    let lease: CacheLease | undefined;
    let remote: Promise<boolean> | undefined;
    if (coordinate && this.#store.acquire !== undefined) {
      let decide: (remote: boolean) => void = () => {};
      remote = new Promise((resolve) => {
        decide = resolve;
      });
      source = async (upstreamSignal) => {
        try {
          const claim = await this.#claim(key, upstreamSignal);
          lease = claim.lease;
          if (claim.entry !== undefined) {
            decide(true);
            return replaySource(claim.entry.chunks as readonly C[]);
          }
          upstreamSignal.throwIfAborted();
          return start(upstreamSignal);
        } finally {
          decide(false);
        }
      };
    } else {
      this.#misses++;
    }
    let recorded = false;
    let flight: StreamFlight<C> | undefined;
    flight = new StreamFlight(source, {
      route,
      maxEntryBytes: this.#options.maxEntryBytes,
      shared: true,
      onRecorded: (entry) => {
        recorded = true;
        this.#afterWrite(this.#write(key, entry), () => lease);
      },
      onClosed: () => {
        if (flight !== undefined && this.#streams.get(key) === (flight as unknown)) this.#streams.delete(key);
        if (!recorded) this.#afterWrite(undefined, () => lease);
      },
    });
    flight.store = store;
    if (flight.joinable) this.#streams.set(key, flight as unknown as StreamFlight<LLMChunk>);
    const consumer = flight.attach(signal, 'miss', key);
    if (remote !== undefined) {
      if (await remote) {
        flight.store = false;
        consumer.status = 'joined';
        this.#joins++;
      } else {
        this.#misses++;
      }
    }
    return consumer;
  }

  async #startValue<V extends LLMChunk>(
    key: string,
    route: LLMRoute,
    compute: (signal: AbortSignal) => PromiseLike<V> | V,
    store: boolean,
    coordinate: boolean,
    signal: AbortSignal | undefined,
  ): Promise<{ value: V; status: CacheStatus }> {
    let remote = false;
    let lease: CacheLease | undefined;
    let source = compute;
    if (coordinate && this.#store.acquire !== undefined) {
      source = async (upstreamSignal: AbortSignal): Promise<V> => {
        const claim = await this.#claim(key, upstreamSignal);
        lease = claim.lease;
        if (claim.entry !== undefined) {
          remote = true;
          this.#joins++;
          return wholeResponse(claim.entry as CacheEntry<V>);
        }
        this.#misses++;
        upstreamSignal.throwIfAborted();
        return compute(upstreamSignal);
      };
    } else {
      this.#misses++;
    }
    const flight: ValueFlight<V> = new ValueFlight(source, true, () => {
      if (this.#values.get(key) === flight) this.#values.delete(key);
    });
    flight.store = store;
    this.#values.set(key, flight as unknown as ValueFlight<LLMChunk>);
    flight.promise.then(
      (value) => {
        if (this.#values.get(key) === flight) this.#values.delete(key);
        const entry = !remote && flight.store ? this.#entryOf(route, value, flight.startedAt) : undefined;
        this.#afterWrite(entry === undefined ? undefined : this.#write(key, entry), () => lease);
      },
      () => {
        if (this.#values.get(key) === flight) this.#values.delete(key);
        this.#afterWrite(undefined, () => lease);
      },
    );
    const value = await flight.join(signal);
    return { value, status: remote ? 'joined' : 'miss' };
  }

  /** A whole response worth storing: an object, no error, some answer, not cut off, small enough. */
  #entryOf<V extends LLMChunk>(route: LLMRoute, value: V, startedAt: number): CacheEntry<V> | undefined {
    if (typeof value !== 'object' || value === null) return undefined;
    if (spoilsRecording(value) || value.done === false || !carriesAnswer(value)) return undefined;
    const size = estimateBytes(value) + ENTRY_OVERHEAD_BYTES;
    if (size > this.#options.maxEntryBytes) return undefined;
    return {
      version: 1,
      route,
      chunks: [value],
      streamed: false,
      timings: [],
      durationMs: performance.now() - startedAt,
      createdAt: Date.now(),
      size,
    };
  }

  #served(entry: CacheEntry): void {
    this.#hits++;
    this.#timeSavedMs += entry.durationMs;
  }

  /** Reads the store; a failure or a malformed entry is reported and counts as a miss. */
  #read(key: string): CacheEntry | undefined | Promise<CacheEntry | undefined> {
    try {
      const found = this.#store.get(key);
      if (isThenable(found)) {
        return found.then(
          (entry: unknown) => this.#checked(key, entry),
          (error: unknown) => this.#storeFailed('get', error),
        );
      }
      return this.#checked(key, found);
    } catch (error) {
      return this.#storeFailed('get', error);
    }
  }

  #checked(key: string, entry: unknown): CacheEntry | undefined {
    if (entry === undefined || entry === null) return undefined;
    if (isCacheEntry(entry)) return entry;
    this.#report(
      new LLMCacheError(
        'LLM_CACHE_INVALID_ENTRY',
        `store returned a value that is not a cache entry for ${key}`,
      ),
    );
    return undefined;
  }

  #write(key: string, entry: CacheEntry): Promise<void> | undefined {
    deepFreeze(entry);
    try {
      const written = this.#store.set(key, entry, this.#options.ttlMs);
      if (isThenable(written)) {
        return Promise.resolve(written).catch((error: unknown) => {
          this.#storeFailed('set', error);
        });
      }
    } catch (error) {
      this.#storeFailed('set', error);
    }
    return undefined;
  }

  /** Releases a cross-process lease once the answer (if any) has been written. */
  #afterWrite(written: Promise<void> | undefined, lease: () => CacheLease | undefined): void {
    const release = () => {
      const held = lease();
      if (held === undefined) return;
      try {
        const released = held.release();
        if (isThenable(released)) {
          Promise.resolve(released).catch((error: unknown) => this.#storeFailed('release', error));
        }
      } catch (error) {
        this.#storeFailed('release', error);
      }
    };
    if (written === undefined) release();
    else written.then(release);
  }

  async #claim(key: string, signal: AbortSignal): Promise<Claim> {
    const store = this.#store;
    let lease: CacheLease | undefined;
    try {
      lease = await store.acquire?.(key, this.#options.leaseMs);
    } catch (error) {
      this.#storeFailed('acquire', error);
      return {};
    }
    if (lease !== undefined || signal.aborted) return { lease };
    try {
      const found = await store.waitFor?.(key, { timeoutMs: this.#options.joinTimeoutMs, signal });
      const entry = this.#checked(key, found);
      return entry === undefined ? {} : { entry };
    } catch (error) {
      if (!signal.aborted) this.#storeFailed('waitFor', error);
      return {};
    }
  }

  #storeFailed(operation: string, error: unknown): undefined {
    this.#report(
      new LLMCacheError('LLM_CACHE_STORE_FAILED', `store ${operation}() failed`, { cause: error }),
    );
    return undefined;
  }

  #report(error: LLMCacheError): void {
    this.#storeErrors++;
    try {
      this.#options.onStoreError?.(error);
    } catch {
      // A failing error handler must not fail the call that reported to it.
    }
  }
}

/** The whole response of an entry: as stored, or merged from its streamed chunks. */
function wholeResponse<V extends LLMChunk>(entry: CacheEntry<V>): V {
  return entry.streamed ? deepFreeze(mergeChunks(entry.chunks)) : (entry.chunks[0] as V);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}
