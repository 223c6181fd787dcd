import {
  createMemoryStore,
  type MemoryError,
  type MemorySearchResult,
  type VectorSearch,
} from '@lunar/memory';
import { MemorySearchCache, type MemorySearchCacheOptions } from '@lunar/memory-cache';
import type { OllamaClient } from '@lunar/ollama-stream';
import { DEFAULT_EMBED_MODEL } from '../defaults.js';
import type { AgentMemoryConfig } from './agent-config.js';
import { checkObject, checkOptionKeys, type OptionKeys } from './check-options.js';
import { ollamaEmbedder } from './ollama-embedder.js';

export interface OpenAgentMemoryOptions {
  /**
   * Where the memories live: a SQLite file, `':memory:'`, a `postgres://` URL, or `'postgres'`
   * (the `PG*` environment variables). See `createMemoryStore` in `@lunar/memory`.
   */
  location: string;
  client: OllamaClient;
  /** Ollama embedding model (default `nomic-embed-text`). */
  embedModel?: string;
  /** Scope the agent searches and `remember` writes (default `'default'`). */
  scope?: string;
  /** Memories put in the prompt (default 4). */
  k?: number;
  /** Options of the memory-search cache. */
  cache?: MemorySearchCacheOptions;
  /** SQLite: worker threads that run the searches (default 0: the calling thread). */
  threads?: number;
  /** PostgreSQL: `'pgvector'` (default) or `'exact'`. */
  vectorSearch?: VectorSearch;
  /** PostgreSQL: failures nobody awaits (a lost connection being retried). */
  onError?: (error: MemoryError) => void;
}

const OPEN_AGENT_MEMORY_KEYS: OptionKeys<OpenAgentMemoryOptions> = {
  location: true,
  client: true,
  embedModel: true,
  scope: true,
  k: true,
  cache: true,
  threads: true,
  vectorSearch: true,
  onError: true,
};

/**
 * Opens a memory store whose embeddings come from Ollama and whose every write invalidates the
 * agent's memory-search cache for its scope (and searches across all scopes) after it commits; on
 * PostgreSQL, other servers' writes invalidate it too. Pass the result as `memory` to
 * `createAgent`; await `memory.store.ready` to know the store opened.
 */
export function openAgentMemory(options: OpenAgentMemoryOptions): AgentMemoryConfig & {
  cache: MemorySearchCache<MemorySearchResult[]>;
} {
  checkObject('openAgentMemory: options', options);
  checkOptionKeys<OpenAgentMemoryOptions>('openAgentMemory: options', options, OPEN_AGENT_MEMORY_KEYS, {
    path: 'location',
  });
  const embedModel = options.embedModel ?? DEFAULT_EMBED_MODEL;
  const cache = new MemorySearchCache<MemorySearchResult[]>(options.cache);
  const store = createMemoryStore({
    location: options.location,
    embedder: ollamaEmbedder(options.client, embedModel),
    cache,
    ...(options.threads === undefined ? {} : { threads: options.threads }),
    ...(options.vectorSearch === undefined ? {} : { vectorSearch: options.vectorSearch }),
    ...(options.onError === undefined ? {} : { onError: options.onError }),
  });
  return {
    store,
    cache,
    embedModel,
    scope: options.scope ?? 'default',
    ...(options.k === undefined ? {} : { k: options.k }),
  };
}
