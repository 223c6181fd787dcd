export {
  type CreateMemoryStoreOptions,
  createMemoryStore,
  isPostgresLocation,
} from './create-memory-store.js';
export { DEFAULT_SCOPE } from './engine-store.js';
export { describeError, isMemoryError, MemoryError, type MemoryErrorCode } from './errors.js';
export { HashEmbedder, type HashEmbedderOptions } from './hash-embedder.js';
export { MAX_BATCH, MAX_K, MAX_TEXT_BYTES, RRF_K } from './limits.js';
export type { PgliteDatabase } from './postgres/pglite-client.js';
export {
  PostgresMemoryStore,
  type PostgresMemoryStoreOptions,
} from './postgres/postgres-memory-store.js';
export { MAX_PGVECTOR_DIMENSIONS, type VectorSearch } from './postgres/postgres-schema.js';
export {
  ConversationHistory,
  type ConversationHistoryOptions,
} from './sessions/conversation-history.js';
export { RedisSessionStore, type RedisSessionStoreOptions } from './sessions/redis-session-store.js';
export type { HistoryMessage, SessionStore } from './sessions/session-store.js';
export { SqliteMemoryStore, type SqliteMemoryStoreOptions } from './sqlite/sqlite-memory-store.js';
export type { CommonStoreOptions } from './store-options.js';
export type {
  AddManyOptions,
  AddMemoryOptions,
  Embedder,
  JsonValue,
  ListMemoryOptions,
  Memory,
  MemoryEngineName,
  MemoryMetadata,
  MemorySearchInvalidator,
  MemorySearchResult,
  MemoryStore,
  NewMemory,
  ScopeSummary,
  SearchMemoryOptions,
} from './types.js';
