export type { LLMCacheRedisErrorCode } from './errors.js';
export { LLMCacheRedisError } from './errors.js';
export type { Logger } from './logger.js';
export type { RedisCacheStoreStats } from './redis-cache-store.js';
export { RedisCacheStore } from './redis-cache-store.js';
export type { RedisState } from './redis-link.js';
export type { LocalTierOptions, RedisCacheStoreOptions } from './store-options.js';
