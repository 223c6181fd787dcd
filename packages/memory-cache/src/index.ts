export type {
  ComputeEmbeddings,
  EmbeddingCacheOptions,
  EmbeddingCacheStats,
  EmbeddingInput,
} from './embedding-cache.js';
export { EmbeddingCache } from './embedding-cache.js';
export type { MemoryCacheErrorCode } from './errors.js';
export { isMemoryCacheError, MemoryCacheError } from './errors.js';
export { ALL_SCOPES, MemorySearchCache } from './memory-search-cache.js';
export { normalizeQuery } from './normalize-query.js';
export type {
  InvalidateOptions,
  InvalidationEvent,
  InvalidationListener,
  MemorySearchCacheOptions,
  MemorySearchCacheStats,
  MemorySearchStatus,
  SearchFunction,
  SearchOptions,
  SearchResult,
} from './search-types.js';
