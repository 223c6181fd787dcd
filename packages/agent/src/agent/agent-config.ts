import type { LLMCache } from '@lunar/llm-cache';
import type {
  ConversationHistoryOptions,
  MemorySearchResult,
  MemoryStore,
  SessionStore,
} from '@lunar/memory';
import type { EmbeddingCache, MemorySearchCache } from '@lunar/memory-cache';
import type { KeepAlive, ModelOptions, OllamaClient } from '@lunar/ollama-stream';
import type { AnyTool } from '@lunar/tools-parallel';
import type { InputGuard, OutputGuard } from '../guards/guard.js';
import type { OptionKeys } from './check-options.js';

/**
 * Every optimization the agent makes, each on or off (all on by default), so the same agent can
 * run the classic, unoptimised way and the Lunar way side by side.
 */
export interface Optimizations {
  /** Stream the model's answer and show text as it arrives (off: wait for the whole answer). */
  streaming: boolean;
  /** Serve identical deterministic model calls from the LLM cache, and join identical calls in flight. */
  llmCache: boolean;
  /** Serve repeated memory searches from the memory-search cache. */
  memoryCache: boolean;
  /** Serve repeated query embeddings from the embedding cache. */
  embeddingCache: boolean;
  /** Run a round's tool calls at once (off: one after another). */
  parallelTools: boolean;
  /** Start read-only tools the moment their call arrives in the stream. */
  eagerTools: boolean;
  /** Run the input guards at the same time as the memory search. */
  parallelGuards: boolean;
  /** `agent.warmup()` loads the model, and every call asks Ollama to keep it loaded for long. */
  warmup: boolean;
  /** Answer a cacheable read-only tool (see `cacheableTools`) from its recent result. */
  toolCache: boolean;
  /**
   * Keep the prompt's stable part (system prompt, tool definitions) first and byte-identical
   * between turns, with memories after the history, so Ollama reuses its KV cache (off: memories
   * and the date at the top of the system prompt, the classic way).
   */
  stablePrefix: boolean;
}

export const ALL_ON: Readonly<Optimizations> = Object.freeze({
  streaming: true,
  llmCache: true,
  memoryCache: true,
  embeddingCache: true,
  parallelTools: true,
  eagerTools: true,
  parallelGuards: true,
  warmup: true,
  toolCache: true,
  stablePrefix: true,
});

export const ALL_OFF: Readonly<Optimizations> = Object.freeze({
  streaming: false,
  llmCache: false,
  memoryCache: false,
  embeddingCache: false,
  parallelTools: false,
  eagerTools: false,
  parallelGuards: false,
  warmup: false,
  toolCache: false,
  stablePrefix: false,
});

export interface AgentMemoryConfig {
  store: MemoryStore;
  /** Cache of memory searches; the store must invalidate it on writes (see `openAgentMemory`). */
  cache?: MemorySearchCache<MemorySearchResult[]>;
  /** Embeds queries through Ollama; default: the store's own embedder. */
  embedModel?: string;
  /** Memories put in the prompt (default 4). */
  k?: number;
  /** Scope searched (default: every scope). */
  scope?: string;
}

export interface AgentConfig {
  /** The Ollama model, e.g. `llama3.2:3b`. */
  model: string;
  /** The Ollama client (default: one made from `host`). */
  client?: OllamaClient;
  /** Ollama's URL when no client is given (default: `OLLAMA_HOST`, else http://127.0.0.1:11434). */
  host?: string;
  /** The system prompt. */
  system?: string;
  /** Tools the model may call. */
  tools?: readonly AnyTool[];
  /**
   * Read-only tools whose results may be reused, by name, with how long in ms (e.g.
   * `{ get_weather: 60_000 }`): the same call within that time is answered without running the
   * tool (the `toolCache` optimization). Default: none.
   */
  cacheableTools?: Readonly<Record<string, number>>;
  /** Long-term memory searched on every turn. */
  memory?: AgentMemoryConfig;
  /** Ollama options sent with every call (e.g. `{ temperature: 0 }`, which lets the LLM cache work). */
  options?: ModelOptions;
  /** keep_alive sent when the `warmup` optimization is on (default `'30m'`). */
  keepAlive?: KeepAlive;
  /** Model rounds that may call tools before the turn gives up (default 4). */
  maxToolRounds?: number;
  /** Tools running at once when `parallelTools` is on (default 8). */
  toolConcurrency?: number;
  /** Deadline of one tool call in ms (default 30,000). */
  toolTimeoutMs?: number;
  /** Bounds of the per-session conversation history kept in this process (when no `sessions` is given). */
  history?: ConversationHistoryOptions;
  /**
   * Where each session's conversation is kept between turns (e.g. a `RedisSessionStore` from
   * `@lunar/memory`, shared by several servers). Default: a `ConversationHistory` in this process.
   */
  sessions?: SessionStore;
  /** Input and output guards (default: length limit + injection patterns in, secret redaction out). */
  guards?: { input?: readonly InputGuard[]; output?: readonly OutputGuard[] };
  /** Optimizations to turn off (or on): all on by default. */
  optimizations?: Partial<Optimizations>;
  /** LLM cache to use (default: a new in-memory one); share one between agents to share answers. */
  llmCache?: LLMCache;
  /** Embedding cache for query embeddings (default: a new one). */
  embeddingCache?: EmbeddingCache;
  /** Clock for the date put in the prompt (default `() => new Date()`). */
  now?: () => Date;
}

export interface RunOptions {
  /** Conversation the turn belongs to (default `'default'`). */
  sessionId?: string;
  signal?: AbortSignal;
  /** Optimizations for this turn only, on top of the agent's. */
  optimizations?: Partial<Optimizations>;
}

/** Every cache off (the LLM, memory-search, embedding and tool caches); the rest as it was. */
export const CACHES_OFF: Readonly<Partial<Optimizations>> = Object.freeze({
  llmCache: false,
  memoryCache: false,
  embeddingCache: false,
  toolCache: false,
});

const OPTIMIZATION_NAMES = Object.keys(ALL_ON) as Array<keyof Optimizations>;

/** Checks a partial set of optimizations, naming a bad one. */
export function resolveOptimizations(
  base: Readonly<Optimizations>,
  overrides: Partial<Optimizations> | undefined,
  label: string,
): Optimizations {
  if (overrides === undefined) return { ...base };
  if (typeof overrides !== 'object' || overrides === null) {
    throw new TypeError(`${label} must be an object of optimizations, got ${String(overrides)}`);
  }
  for (const [name, value] of Object.entries(overrides)) {
    if (!OPTIMIZATION_NAMES.includes(name as keyof Optimizations)) {
      throw new TypeError(
        `${label}.${name} is not an optimization; the optimizations are ${OPTIMIZATION_NAMES.join(', ')}`,
      );
    }
    if (typeof value !== 'boolean' && value !== undefined) {
      throw new TypeError(`${label}.${name} must be true or false, got ${JSON.stringify(value)}`);
    }
  }
  const resolved = { ...base };
  for (const name of OPTIMIZATION_NAMES) {
    const value = overrides[name];
    if (value !== undefined) resolved[name] = value;
  }
  return resolved;
}

/** The keys `createAgent` accepts. */
export const AGENT_CONFIG_KEYS: OptionKeys<AgentConfig> = {
  model: true,
  client: true,
  host: true,
  system: true,
  tools: true,
  cacheableTools: true,
  memory: true,
  options: true,
  keepAlive: true,
  maxToolRounds: true,
  toolConcurrency: true,
  toolTimeoutMs: true,
  history: true,
  sessions: true,
  guards: true,
  optimizations: true,
  llmCache: true,
  embeddingCache: true,
  now: true,
};

/** Names people reach for instead of the agent's own. */
export const AGENT_CONFIG_HINTS = {
  ollama: 'client',
  ollamaClient: 'client',
  url: 'host',
  baseUrl: 'host',
  ollamaHost: 'host',
  systemPrompt: 'system',
  switches: 'optimizations',
  modelOptions: 'options',
  cache: 'llmCache',
} as const;

export const AGENT_MEMORY_CONFIG_KEYS: OptionKeys<AgentMemoryConfig> = {
  store: true,
  cache: true,
  embedModel: true,
  k: true,
  scope: true,
};

export const GUARDS_KEYS: OptionKeys<NonNullable<AgentConfig['guards']>> = { input: true, output: true };

export const RUN_OPTIONS_KEYS: OptionKeys<RunOptions> = {
  sessionId: true,
  signal: true,
  optimizations: true,
};

export function positiveInteger(label: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new TypeError(`${label} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}
