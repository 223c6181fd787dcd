/** The public types of `MemorySearchCache`. */
import type { CacheStatus } from '@lunar/ollama-stream';

/**
 * How a search was served: the part of Lunar's `CacheStatus` the memory-search cache produces.
 * `hit`: fresh stored result; `stale`: expired result served while one refresh runs; `joined`:
 * waited on an identical search already running; `miss`: ran the search.
 */
export type MemorySearchStatus = Extract<CacheStatus, 'hit' | 'miss' | 'joined' | 'stale'>;

export type SearchFunction<TResult, TParams> = (
  query: string,
  params: TParams,
  options: { signal: AbortSignal },
) => Promise<TResult> | TResult;

export interface SearchOptions<TParams> {
  /** Which memory the search reads (a user, a session); `invalidate(scope)` drops only this scope. Default `'default'`. */
  scope?: string;
  /** Search parameters (k, filters, weights); part of the key in canonical form and passed to the search function. */
  params?: TParams;
  signal?: AbortSignal;
}

export interface SearchResult<TResult> {
  results: TResult;
  status: MemorySearchStatus;
}

export interface MemorySearchCacheOptions {
  /** How long a stored result is fresh, in ms. Default 30,000. */
  ttlMs?: number;
  /** Most results kept; the least recently used goes first. Default 1,000. */
  maxEntries?: number;
  /** How long after expiry a result may still be served while one refresh runs, in ms. Default 0 (off). */
  staleWhileRevalidateMs?: number;
  /** Maps a query to its key form (and the text the search function receives). Default `normalizeQuery`. */
  normalize?: (query: string) => string;
}

export interface InvalidateOptions {
  /** The invalidation came from another replica: apply it, but do not tell `onInvalidate` listeners (no echo). */
  fromRemote?: boolean;
}

export interface InvalidationEvent {
  /** The invalidated scope, or `undefined` for all scopes. */
  scope: string | undefined;
}

export type InvalidationListener = (event: InvalidationEvent) => void;

export interface MemorySearchCacheStats {
  /** Stored results (an expired one counts until it is read or evicted). */
  entries: number;
  /** Searches running now. */
  inFlight: number;
  hits: number;
  misses: number;
  joins: number;
  staleServes: number;
  invalidations: number;
  /** Background refreshes (stale-while-revalidate) that failed; the stale result stays until its window ends. */
  refreshFailures: number;
  /** hits / (hits + misses); 0 before any. */
  hitRate: number;
}
