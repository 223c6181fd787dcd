import type { CacheStatus, Message, ToolCall } from '@lunar/ollama-stream';

/**
 * The plain-data shapes this package reads, built on Ollama's shapes from `@lunar/ollama-stream`.
 * Any Ollama client's request and chunk types (ollama-js, @lunar/ollama-stream) fit them, and fields
 * not named here still take part in the key.
 */

/**
 * A chat message (`/api/chat`) as the cache reads it: Ollama's `Message`, whose images may also be
 * byte arrays (keyed as their base64 text, which is what goes on the wire).
 */
export type CachedMessage = Omit<Message, 'images' | 'tool_calls'> & {
  images?: readonly (string | Uint8Array)[];
  tool_calls?: readonly ToolCall[];
};

/**
 * A request to `/api/chat`, `/api/generate`, `/api/embed` or `/api/embeddings`. Every field except
 * `stream` and `keep_alive` is part of the key, including fields not listed here.
 */
export interface LLMRequest {
  model: string;
  messages?: readonly CachedMessage[];
  prompt?: string;
  input?: string | readonly string[];
  system?: string;
  template?: string;
  suffix?: string;
  raw?: boolean;
  format?: unknown;
  tools?: readonly unknown[];
  think?: boolean | string;
  /** Ollama's `options`: `temperature` and `seed` decide the default policy. */
  options?: object;
  stream?: boolean;
  keep_alive?: string | number;
}

/**
 * A streamed chunk, or a whole non-streamed response (which has the shape of a final chunk).
 * Embedding responses fit too (`embeddings`, or `embedding` for the legacy route).
 */
export interface LLMChunk {
  model?: string;
  created_at?: string;
  /** In a chat chunk: the part of the answer it carries. */
  message?: Partial<CachedMessage>;
  response?: string;
  thinking?: string;
  tool_calls?: readonly ToolCall[];
  embeddings?: readonly (readonly number[])[];
  embedding?: readonly number[];
  done?: boolean;
  done_reason?: string;
  total_duration?: number;
  error?: string;
}

/** Ollama routes a request can be keyed under; any other string works too. */
export type LLMRoute = 'chat' | 'generate' | 'embed' | 'embeddings' | (string & {});

/**
 * How a call was served: the part of Lunar's `CacheStatus` the LLM cache produces (`hit`, `miss`,
 * `joined`, `bypass`; never `stale` or `off`).
 */
export type LLMCacheStatus = Extract<CacheStatus, 'hit' | 'miss' | 'joined' | 'bypass'>;

/**
 * Per-call cache mode, each with one meaning:
 * - `default`: read, join, store (when the policy allows caching).
 * - `no-cache`: skip the read; join a computation in flight (it is fresh) or compute; store.
 * - `no-store`: read and join allowed; never store this call's answer.
 * - `refresh`: always compute (no read, no join) and replace the stored answer.
 * - `bypass`: no read, no join, no store.
 */
export type CacheMode = 'default' | 'no-cache' | 'no-store' | 'refresh' | 'bypass';

/** Decides whether a request may be cached. */
export type CachePolicy = 'deterministic' | 'always' | ((request: LLMRequest, route: LLMRoute) => boolean);

/**
 * What `cache.stream()` resolves to: the chunks, plus how they are served, known before the
 * first chunk. Iterate it once.
 */
export interface CacheStream<C> extends AsyncIterableIterator<C> {
  readonly status: LLMCacheStatus;
  /** The cache key, or undefined for a bypass (no key is computed). */
  readonly key: string | undefined;
}
