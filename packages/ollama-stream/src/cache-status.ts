/**
 * Whether a cache answered a call: one union for every Lunar cache (the LLM cache, the
 * memory-search cache, the agent's profile). Each cache reports the subset it can produce and
 * names it (`LLMCacheStatus`, `MemorySearchStatus`).
 */
export type CacheStatus =
  /** Served from the cache: nothing upstream ran. */
  | 'hit'
  /** Not in the cache: the call ran upstream (and its answer was stored when allowed). */
  | 'miss'
  /** Joined an identical call already running. */
  | 'joined'
  /** An expired answer served while one refresh runs (stale-while-revalidate). */
  | 'stale'
  /** The cache was on but this call may not be cached (policy or mode): straight upstream. */
  | 'bypass'
  /** The cache is switched off. */
  | 'off';
