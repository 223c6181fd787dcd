import { carriesAnswer, spoilsRecording } from './answer.js';
import type { CacheEntry } from './cache-entry.js';
import { assertRequest, cacheKey, inferRoute } from './cache-key.js';
import type { CacheLease } from './cache-store.js';
import { deepFreeze } from './deep-freeze.js';
import { describe } from './describe.js';
import { isThenable } from './is-thenable.js';
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
import { StoreAccess } from './store-access.js';
import { StreamFlight, type StreamSource } from './stream-flight.js';
import type { CacheMode, CacheStream, LLMCacheStatus, LLMChunk, LLMRequest, LLMRoute } from './types.js';
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

/** Serves identical LLM calls from memory (or a shared store) and joins identical calls in flight. */
export class LLMCache {
  readonly #options: ResolvedOptions;
  readonly #store: StoreAccess;
  readonly #streams = new Map<string, StreamFlight<LLMChunk>>();
  readonly #values = new Map<string, ValueFlight<LLMChunk>>();
  #hits = 0;
  #misses = 0;
  #joins = 0;
  #bypasses = 0;
  #timeSavedMs = 0;

  constructor(options: LLMCacheOptions = {}) {
    this.#options = resolveOptions(options);
    const store =
      this.#options.store ??
      new MemoryCacheStore({ maxEntries: this.#options.maxEntries, maxBytes: this.#options.maxBytes });
    this.#store = new StoreAccess(store, this.#options);
  }

  /** The key this cache uses for a request. */
  key(request: LLMRequest, route?: LLMRoute): string {
    return cacheKey(request, route, this.#options.namespace);
  }

  /**
   * A streamed call through the cache. `start(signal)` is called on a miss or bypass only and
   * returns the upstream chunks. The result's `status` is settled when the promise resolves.
   */
  stream<C extends LLMChunk>(
    request: LLMRequest,
    start: (signal: AbortSignal) => StreamSource<C>,
    options: StreamOptions = {},
  ): Promise<CacheStream<C>> {
    // One key, one answer: a hit, a join and a miss all read the chunks of an identical request,
    // which are the caller's `C`. Flights and entries hold them as the `LLMChunk` fields the cache
    // reads; the caller's type is given back here, once.
    return this.#stream(request, start, options) as Promise<CacheStream<C>>;
  }

  /** A whole-response call through the cache, with the same modes, joining and storing rules. */
  getOrCompute<V extends LLMChunk>(
    request: LLMRequest,
    compute: (signal: AbortSignal) => PromiseLike<V> | V,
    options: ComputeOptions = {},
  ): Promise<{ value: V; status: LLMCacheStatus }> {
    // As in `stream`: the value of an identical request is the caller's `V`.
    return this.#getOrCompute(request, compute, options) as Promise<{ value: V; status: LLMCacheStatus }>;
  }

  async #stream(
    request: LLMRequest,
    start: (signal: AbortSignal) => StreamSource<LLMChunk>,
    options: StreamOptions,
  ): Promise<CacheStream<LLMChunk>> {
    const call = this.#begin(request, start, 'start', options);
    const { mode, route, key, signal } = call;
    if (key === undefined) {
      const flight = new StreamFlight(start, {
        route,
        maxEntryBytes: this.#options.maxEntryBytes,
        shared: false,
        onRecorded: () => {},
        onClosed: () => {},
      });
      return flight.attach(signal, 'bypass', undefined);
    }
    let found = call.found;
    if (isThenable(found)) {
      found = await found;
      signal?.throwIfAborted(); // the caller left during the read
    }
    const entry = this.#served(found, signal);
    if (entry !== undefined) return new ReplayStream(key, entry, options.pace ?? false, signal);
    const running = mode === 'refresh' ? undefined : this.#streams.get(key);
    if (running?.joinable && (running.fresh || call.since === undefined)) {
      this.#joins++;
      if (mode !== 'no-store') running.store = true;
      return running.attach(signal, 'joined', key);
    }
    return this.#startStream(key, route, start, mode, call.since, signal);
  }

  async #getOrCompute(
    request: LLMRequest,
    compute: (signal: AbortSignal) => PromiseLike<LLMChunk> | LLMChunk,
    options: ComputeOptions,
  ): Promise<{ value: LLMChunk; status: LLMCacheStatus }> {
    const call = this.#begin(request, compute, 'compute', options);
    const { mode, route, key, signal } = call;
    if (key === undefined) {
      return { value: await new ValueFlight(compute, false, () => {}).join(signal), status: 'bypass' };
    }
    let found = call.found;
    if (isThenable(found)) {
      found = await found;
      signal?.throwIfAborted(); // the caller left during the read
    }
    const entry = this.#served(found, signal);
    if (entry !== undefined) return { value: wholeResponse(entry), status: 'hit' };
    const running = mode === 'refresh' ? undefined : this.#values.get(key);
    if (running !== undefined && (running.fresh || call.since === undefined)) {
      this.#joins++;
      if (mode !== 'no-store') running.store = true;
      return { value: await running.join(signal), status: 'joined' };
    }
    return this.#startValue(key, route, compute, mode, call.since, signal);
  }

  /** Forgets the stored answer to a request. */
  async delete(request: LLMRequest, route?: LLMRoute): Promise<void> {
    await this.#store.store.delete(this.key(request, route));
  }

  /** Forgets every stored answer (when the store supports it). Calls in flight go on. */
  async clear(): Promise<void> {
    await this.#store.store.clear?.();
  }

  stats(): LLMCacheStats {
    const store = this.#store.store.stats?.();
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
      storeErrors: this.#store.failures,
    };
  }

  /**
   * Starts an upstream stream that identical calls may join. With a coordinating store (and a mode
   * other than `refresh`) it first claims the key across processes; `since` (a `no-cache` call's
   * start) makes that claim fresh.
   */
  async #startStream(
    key: string,
    route: LLMRoute,
    start: (signal: AbortSignal) => StreamSource<LLMChunk>,
    mode: CacheMode,
    since: number | undefined,
    signal: AbortSignal | undefined,
  ): Promise<CacheStream<LLMChunk>> {
    let source = start;
    let lease: CacheLease | undefined;
    let remote: Promise<boolean> | undefined;
    let fromElsewhere = false;
    let closed = false;
    let flight: StreamFlight<LLMChunk> | undefined;
    const coordinate = mode !== 'refresh' && this.#store.coordinates;
    if (coordinate) {
      let decide: (remote: boolean) => void = () => {};
      remote = new Promise((resolve) => {
        decide = resolve;
      });
      source = async (upstreamSignal) => {
        try {
          const claim = await this.#store.claim(key, upstreamSignal, since);
          if (closed || upstreamSignal.aborted) {
            // Every caller left while the claim was pending: nobody else will release this lease.
            this.#store.release(undefined, () => claim.lease);
            throw upstreamSignal.reason;
          }
          lease = claim.lease;
          if (claim.entry !== undefined) {
            fromElsewhere = true;
            if (flight !== undefined) flight.fresh = false; // a stored answer, though a new one
            decide(true);
            return replaySource(claim.entry.chunks);
          }
          if (flight !== undefined) flight.fresh = true;
          return start(upstreamSignal);
        } finally {
          decide(false);
        }
      };
    } else {
      this.#misses++;
    }
    let recorded = false;
    flight = new StreamFlight(source, {
      route,
      maxEntryBytes: this.#options.maxEntryBytes,
      shared: true,
      onRecorded: (entry) => {
        if (fromElsewhere) return; // already stored by the process that computed it
        recorded = true;
        this.#store.release(this.#store.write(key, entry), () => lease);
      },
      onClosed: () => {
        closed = true;
        if (flight !== undefined && this.#streams.get(key) === flight) this.#streams.delete(key);
        if (!recorded) this.#store.release(undefined, () => lease);
      },
    });
    flight.store = mode !== 'no-store';
    // Until its claim says it computes, a coordinated flight may replay an answer stored before.
    flight.fresh = !coordinate || since !== undefined;
    if (flight.joinable) this.#streams.set(key, flight);
    const consumer = flight.attach(signal, 'miss', key);
    if (remote !== undefined) {
      if (await remote) {
        consumer.status = 'joined';
        this.#joins++;
      } else {
        this.#misses++;
      }
    }
    return consumer;
  }

  /** The whole-response counterpart of {@link LLMCache.#startStream}. */
  async #startValue(
    key: string,
    route: LLMRoute,
    compute: (signal: AbortSignal) => PromiseLike<LLMChunk> | LLMChunk,
    mode: CacheMode,
    since: number | undefined,
    signal: AbortSignal | undefined,
  ): Promise<{ value: LLMChunk; status: LLMCacheStatus }> {
    let remote = false;
    let lease: CacheLease | undefined;
    let source = compute;
    const coordinate = mode !== 'refresh' && this.#store.coordinates;
    if (coordinate) {
      source = async (upstreamSignal: AbortSignal): Promise<LLMChunk> => {
        const claim = await this.#store.claim(key, upstreamSignal, since);
        if (upstreamSignal.aborted) {
          // Every caller left while the claim was pending: release the lease now, compute nothing.
          this.#store.release(undefined, () => claim.lease);
          throw upstreamSignal.reason;
        }
        lease = claim.lease;
        if (claim.entry !== undefined) {
          remote = true;
          flight.fresh = false; // a stored answer, though a new one
          this.#joins++;
          return wholeResponse(claim.entry);
        }
        this.#misses++;
        flight.fresh = true;
        return compute(upstreamSignal);
      };
    } else {
      this.#misses++;
    }
    const flight: ValueFlight<LLMChunk> = new ValueFlight(source, true, () => {
      if (this.#values.get(key) === flight) this.#values.delete(key);
    });
    flight.store = mode !== 'no-store';
    // Until its claim says it computes, a coordinated flight may serve an answer stored before.
    flight.fresh = !coordinate || since !== undefined;
    this.#values.set(key, flight);
    flight.promise.then(
      (value) => {
        if (this.#values.get(key) === flight) this.#values.delete(key);
        const entry = !remote && flight.store ? this.#entryOf(route, value, flight.startedAt) : undefined;
        this.#store.release(entry === undefined ? undefined : this.#store.write(key, entry), () => lease);
      },
      () => {
        if (this.#values.get(key) === flight) this.#values.delete(key);
        this.#store.release(undefined, () => lease);
      },
    );
    const value = await flight.join(signal);
    return { value, status: remote ? 'joined' : 'miss' };
  }

  /** A whole response worth storing: an object, no error, some answer, not cut off, small enough. */
  #entryOf(route: LLMRoute, value: LLMChunk, startedAt: number): CacheEntry | undefined {
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

  /**
   * What every call does first: check its arguments, apply mode and policy, key the request and
   * read the store when the mode allows. No key means a bypass (counted here).
   */
  #begin(request: LLMRequest, upstream: unknown, name: string, options: StreamOptions) {
    const mode = checkCallOptions(options, name === 'start' ? 'stream' : 'compute');
    if (typeof upstream !== 'function') {
      throw new TypeError(`Expected \`${name}\` to be a function, got ${describe(upstream)}`);
    }
    const { signal } = options;
    signal?.throwIfAborted();
    assertRequest(request);
    const route = options.route ?? inferRoute(request);
    if (mode === 'bypass' || !allowsCaching(this.#options.policy, request, route)) {
      this.#bypasses++;
      return { mode, route, signal, key: undefined, found: undefined, since: undefined };
    }
    const key = cacheKey(request, route, this.#options.namespace);
    const found = mode === 'default' || mode === 'no-store' ? this.#store.read(key) : undefined;
    // A no-cache call serves no answer created before it began (see StoreAccess.claim).
    const since = mode === 'no-cache' ? Date.now() : undefined;
    return { mode, route, signal, key, found, since };
  }

  /** Counts a hit, once the caller is known to still be there. */
  #served(entry: CacheEntry | undefined, signal: AbortSignal | undefined): CacheEntry | undefined {
    if (entry === undefined) return undefined;
    signal?.throwIfAborted();
    this.#hits++;
    this.#timeSavedMs += entry.durationMs;
    return entry;
  }
}

/** The whole response of an entry: as stored, or merged from its streamed chunks. */
function wholeResponse(entry: CacheEntry): LLMChunk {
  return entry.streamed ? deepFreeze(mergeChunks(entry.chunks)) : (entry.chunks[0] as LLMChunk);
}
