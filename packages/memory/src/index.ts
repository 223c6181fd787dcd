export { DEFAULT_SCOPE } from './engine-store.js';
export { describeError, isMemoryError, MemoryError, type MemoryErrorCode } from './errors.js';
export { HashEmbedder, type HashEmbedderOptions } from './hash-embedder.js';
export { MAX_BATCH, MAX_K, MAX_TEXT_BYTES, RRF_K } from './limits.js';
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
