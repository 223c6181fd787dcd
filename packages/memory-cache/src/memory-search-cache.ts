import { LRUCache } from 'lru-cache';
import { MemoryCacheError } from './errors.js';
import { aborted, InFlightSearch } from './in-flight-search.js';
import { normalizeQuery } from './normalize-query.js';
import { searchKey } from './search-key.js';
import type {
  InvalidateOptions,
  InvalidationEvent,
  InvalidationListener,
  MemorySearchCacheOptions,
  MemorySearchCacheStats,
  SearchFunction,
  SearchOptions,
  SearchResult,
} from './search-types.js';
import {
  invalidOption,
  knownOptions,
  nonNegativeFinite,
  positiveFinite,
  positiveInteger,
  requireString,
} from './validate-option.js';

interface Entry<TResult> {
  value: TResult;
  scope: string;
  freshUntil: number;
  staleUntil: number;
}

/** The overloads' common implementation type: the overloads tie params to the search function's own type. */
type UntypedSearch<TResult> = SearchFunction<TResult, never>;

type Lookup<TResult> =
  | { status: 'hit' | 'stale'; value: TResult; flight?: undefined }
  | { status: 'miss' | 'joined'; flight: InFlightSearch<TResult> };

const DEFAULT_SCOPE = 'default';

/** Caches memory searches by normalised query + scope + canonical params, with single-flight and invalidation. */
/**
 * The scope of a search that spans every scope (e.g. a search with no scope filter): invalidating
 * any scope also drops the searches cached under it.
 */
export const ALL_SCOPES = '*';

export class MemorySearchCache<TResult = unknown> {
  readonly #ttlMs: number;
  readonly #staleMs: number;
  readonly #normalize: (query: string) => string;
  readonly #entries: LRUCache<string, Entry<TResult>>;
  readonly #keysByScope = new Map<string, Set<string>>();
  readonly #inFlight = new Map<string, InFlightSearch<TResult>>();
  readonly #listeners = new Set<InvalidationListener>();
  #hits = 0;
  #misses = 0;
  #joins = 0;
  #staleServes = 0;
  #invalidations = 0;
  #refreshFailures = 0;

  constructor(options: MemorySearchCacheOptions = {}) {
    knownOptions('options', options, ['ttlMs', 'maxEntries', 'staleWhileRevalidateMs', 'normalize']);
    this.#ttlMs = positiveFinite('ttlMs', options.ttlMs, 30_000);
    this.#staleMs = nonNegativeFinite('staleWhileRevalidateMs', options.staleWhileRevalidateMs, 0);
    const maxEntries = positiveInteger('maxEntries', options.maxEntries, 1_000);
    if (options.normalize !== undefined && typeof options.normalize !== 'function') {
      throw invalidOption('normalize', 'a function', options.normalize);
    }
    this.#normalize = options.normalize ?? normalizeQuery;
    this.#entries = new LRUCache<string, Entry<TResult>>({
      max: maxEntries,
      dispose: (entry, key, reason) => {
        if (reason !== 'set') this.#unindex(entry.scope, key);
      },
    });
  }

  /** The search's results: stored, joined or freshly computed. Errors of `searchFn` pass through unchanged and are not cached. */
  search(
    query: string,
    searchFn: SearchFunction<TResult, undefined>,
    options?: SearchOptions<undefined>,
  ): Promise<TResult>;
  search<TParams>(
    query: string,
    searchFn: SearchFunction<TResult, TParams>,
    options: SearchOptions<TParams> & { params: TParams },
  ): Promise<TResult>;
  search(
    query: string,
    searchFn: UntypedSearch<TResult>,
    options?: SearchOptions<unknown>,
  ): Promise<TResult> {
    try {
      const lookup = this.#lookup(query, searchFn, options);
      return lookup.flight ? lookup.flight.wait(options?.signal) : Promise.resolve(lookup.value);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Like `search`, plus how the answer was obtained (for per-stage profiling). */
  searchWithStatus(
    query: string,
    searchFn: SearchFunction<TResult, undefined>,
    options?: SearchOptions<undefined>,
  ): Promise<SearchResult<TResult>>;
  searchWithStatus<TParams>(
    query: string,
    searchFn: SearchFunction<TResult, TParams>,
    options: SearchOptions<TParams> & { params: TParams },
  ): Promise<SearchResult<TResult>>;
  searchWithStatus(
    query: string,
    searchFn: UntypedSearch<TResult>,
    options?: SearchOptions<unknown>,
  ): Promise<SearchResult<TResult>> {
    try {
      const lookup = this.#lookup(query, searchFn, options);
      if (!lookup.flight) return Promise.resolve({ results: lookup.value, status: lookup.status });
      const { status } = lookup;
      return lookup.flight.wait(options?.signal).then((results) => ({ results, status }));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Call on every write or delete. Drops the stored results of `scope` (of every scope when omitted) and
   * retires the searches in flight for it: their results still reach the callers already waiting, but are
   * never stored, and the next call starts a fresh search.
   */
  invalidate(scope?: string, options: InvalidateOptions = {}): void {
    if (scope !== undefined) requireString('scope', scope);
    knownOptions('options', options, ['fromRemote']);
    this.#invalidations++;
    // A search cached under ALL_SCOPES spans every scope, so a write to any scope also drops it.
    const touches = (candidate: string) =>
      scope === undefined || candidate === scope || candidate === ALL_SCOPES;
    for (const flight of this.#inFlight.values()) {
      if (!touches(flight.scope)) continue;
      this.#retire(flight);
      // Only a background refresh has nobody waiting; its result could never be used now.
      if (flight.waiters === 0) flight.abort(aborted('The memory scope was invalidated'));
    }
    if (scope === undefined) {
      this.#entries.clear();
    } else {
      for (const key of [...(this.#keysByScope.get(scope) ?? [])]) this.#entries.delete(key);
      for (const key of [...(this.#keysByScope.get(ALL_SCOPES) ?? [])]) this.#entries.delete(key);
    }
    if (!options.fromRemote) this.#notify({ scope });
  }

  /**
   * Subscribes to local invalidations (not those applied with `fromRemote`), e.g. to publish them to other
   * replicas. Returns the unsubscribe function. Listeners run synchronously after the invalidation is applied.
   */
  onInvalidate(listener: InvalidationListener): () => void {
    if (typeof listener !== 'function') throw invalidOption('listener', 'a function', listener);
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  stats(): MemorySearchCacheStats {
    const lookups = this.#hits + this.#misses;
    return {
      entries: this.#entries.size,
      inFlight: this.#inFlight.size,
      hits: this.#hits,
      misses: this.#misses,
      joins: this.#joins,
      staleServes: this.#staleServes,
      invalidations: this.#invalidations,
      refreshFailures: this.#refreshFailures,
      hitRate: lookups === 0 ? 0 : this.#hits / lookups,
    };
  }

  #lookup(
    query: string,
    searchFn: UntypedSearch<TResult>,
    options: SearchOptions<unknown> | undefined,
  ): Lookup<TResult> {
    requireString('query', query);
    if (typeof searchFn !== 'function') throw invalidOption('searchFn', 'a function', searchFn);
    if (options !== undefined) knownOptions('options', options, ['scope', 'params', 'signal']);
    const scope = options?.scope ?? DEFAULT_SCOPE;
    requireString('scope', scope);
    const signal = options?.signal;
    if (signal?.aborted) {
      throw aborted('The memory search was aborted before it started', signal.reason);
    }
    const normalized = this.#normalize(query);
    if (typeof normalized !== 'string') throw invalidOption('normalize(query)', 'a string', normalized);
    const params = options?.params;
    const key = searchKey(scope, normalized, params);

    const entry = this.#entries.get(key);
    if (entry !== undefined) {
      const now = Date.now();
      if (now < entry.freshUntil) {
        this.#hits++;
        return { status: 'hit', value: entry.value };
      }
      if (now < entry.staleUntil) {
        this.#staleServes++;
        if (!this.#inFlight.has(key)) this.#start(key, scope, normalized, params, searchFn, true);
        return { status: 'stale', value: entry.value };
      }
      this.#entries.delete(key);
    }
    const running = this.#inFlight.get(key);
    if (running) {
      this.#joins++;
      return { status: 'joined', flight: running };
    }
    this.#misses++;
    return { status: 'miss', flight: this.#start(key, scope, normalized, params, searchFn, false) };
  }

  #start(
    key: string,
    scope: string,
    query: string,
    params: unknown,
    searchFn: UntypedSearch<TResult>,
    background: boolean,
  ): InFlightSearch<TResult> {
    const flight = new InFlightSearch<TResult>(
      key,
      scope,
      (signal) => searchFn(query, params as never, { signal }),
      (abandoned) => this.#retire(abandoned),
    );
    this.#inFlight.set(key, flight);
    // Registered before any caller's reaction, so a result is stored before its callers resume.
    flight.promise.then(
      (value) => {
        if (!flight.retired) this.#store(key, scope, value);
        this.#retire(flight);
      },
      () => {
        this.#retire(flight);
        if (background) this.#refreshFailures++;
      },
    );
    return flight;
  }

  /** Takes a search out of the in-flight map for good: nobody joins it and its result is never stored. */
  #retire(flight: InFlightSearch<TResult>): void {
    flight.retired = true;
    if (this.#inFlight.get(flight.key) === flight) this.#inFlight.delete(flight.key);
  }

  #store(key: string, scope: string, value: TResult): void {
    const now = Date.now();
    const freshUntil = now + this.#ttlMs;
    this.#entries.set(key, { value, scope, freshUntil, staleUntil: freshUntil + this.#staleMs });
    let keys = this.#keysByScope.get(scope);
    if (keys === undefined) {
      keys = new Set();
      this.#keysByScope.set(scope, keys);
    }
    keys.add(key);
  }

  #unindex(scope: string, key: string): void {
    const keys = this.#keysByScope.get(scope);
    if (keys === undefined) return;
    keys.delete(key);
    if (keys.size === 0) this.#keysByScope.delete(scope);
  }

  #notify(event: InvalidationEvent): void {
    const errors: unknown[] = [];
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) {
      throw new MemoryCacheError(
        'MEMORY_CACHE_LISTENER_FAILED',
        `${errors.length} invalidation listener(s) threw; the invalidation itself was applied`,
        { cause: errors.length === 1 ? errors[0] : new AggregateError(errors) },
      );
    }
  }
}
