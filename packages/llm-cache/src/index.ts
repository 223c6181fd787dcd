export type { CacheEntry } from './cache-entry.js';
export { isCacheEntry } from './cache-entry.js';
export { cacheKey, inferRoute } from './cache-key.js';
export type {
  AcquireOptions,
  CacheLease,
  CacheStore,
  CacheStoreStats,
  WaitForOptions,
} from './cache-store.js';
export type { LLMCacheErrorCode } from './errors.js';
export { isLLMCacheError, LLMCacheError } from './errors.js';
export type { LLMCacheStats } from './llm-cache.js';
export { LLMCache } from './llm-cache.js';
export type { MemoryCacheStoreOptions } from './memory-store.js';
export { MemoryCacheStore } from './memory-store.js';
export { mergeChunks } from './merge-chunks.js';
export type { ComputeOptions, LLMCacheOptions, StreamOptions } from './options.js';
export { isDeterministic } from './policy.js';
export type { StreamSource } from './stream-flight.js';
export type {
  CachedMessage,
  CacheMode,
  CachePolicy,
  CacheStream,
  LLMCacheStatus,
  LLMChunk,
  LLMRequest,
  LLMRoute,
} from './types.js';
