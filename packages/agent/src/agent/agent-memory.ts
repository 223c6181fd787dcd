import { MemorySearchCache, type MemorySearchCacheOptions } from '@lunar/memory-cache';
import type { OllamaClient } from '@lunar/ollama-stream';
import { DEFAULT_EMBED_MODEL } from '../defaults.js';
import { MemoryStore } from '../memory/memory-store.js';
import type { MemorySearchResult } from '../memory/types.js';
import type { AgentMemoryConfig } from './agent-config.js';
import { checkObject, checkOptionKeys, type OptionKeys } from './check-options.js';
import { ollamaEmbedder } from './ollama-embedder.js';

export interface OpenAgentMemoryOptions {
  /** SQLite file, or `':memory:'`. */
  path: string;
  client: OllamaClient;
  /** Ollama embedding model (default `nomic-embed-text`). */
  embedModel?: string;
  /** Scope the agent searches and `remember` writes (default `'default'`). */
  scope?: string;
  /** Memories put in the prompt (default 4). */
  k?: number;
  /** Options of the memory-search cache. */
  cache?: MemorySearchCacheOptions;
}

const OPEN_AGENT_MEMORY_KEYS: OptionKeys<OpenAgentMemoryOptions> = {
  path: true,
  client: true,
  embedModel: true,
  scope: true,
  k: true,
  cache: true,
};

/**
 * Opens a memory store whose embeddings come from Ollama and whose every write invalidates the
 * agent's memory-search cache for its scope (and searches across all scopes) after it commits.
 * Pass `memory` to `createAgent`.
 */
export function openAgentMemory(options: OpenAgentMemoryOptions): AgentMemoryConfig & {
  cache: MemorySearchCache<MemorySearchResult[]>;
} {
  checkObject('openAgentMemory: options', options);
  checkOptionKeys<OpenAgentMemoryOptions>('openAgentMemory: options', options, OPEN_AGENT_MEMORY_KEYS);
  const embedModel = options.embedModel ?? DEFAULT_EMBED_MODEL;
  const cache = new MemorySearchCache<MemorySearchResult[]>(options.cache);
  const store = MemoryStore.open({
    path: options.path,
    embedder: ollamaEmbedder(options.client, embedModel),
    cache,
  });
  return {
    store,
    cache,
    embedModel,
    scope: options.scope ?? 'default',
    ...(options.k === undefined ? {} : { k: options.k }),
  };
}
