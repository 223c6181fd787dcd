/**
 * Public types of @lunar/ollama-sim. Other Lunar packages' tests and benchmarks are written
 * against these, so change them only with care.
 */

/** How long things take. Every speed is per model and can be overridden per simulator. */
export interface LatencyModel {
  /** Time to load a model that is not loaded (cold start), in ms. */
  loadMs: number;
  /** Prompt evaluation (prefill) speed, tokens per second. Cached prefix tokens cost nothing. */
  promptTokensPerSecond: number;
  /** Decode speed, tokens per second; one token is one streamed chunk. */
  tokensPerSecond: number;
  /** Fixed cost of every request before prefill (tokenising, scheduling), in ms. */
  overheadMs: number;
  /** Time one embedding input takes, in ms. */
  embedMsPerInput: number;
}

export type ProfileName = 'fast' | 'seed' | 'gpu' | 'cpu';

/** A scripted reply: text to stream, or tool calls to make. */
export type ScriptReply =
  | { content: string; thinking?: string }
  | {
      toolCalls: Array<{ name: string; arguments: Record<string, unknown> }>;
      content?: string;
      thinking?: string;
    };

/** What a script sees: the request as parsed, with the rendered prompt. */
export interface ScriptInput {
  route: 'chat' | 'generate';
  model: string;
  /** Chat messages (for generate: one user message made from system + prompt). */
  messages: Array<{
    role: string;
    content: string;
    thinking?: string;
    tool_calls?: unknown[];
    tool_name?: string;
    images?: string[];
  }>;
  tools: Array<{
    type: string;
    items?: unknown;
    function: { name: string; description?: string; parameters?: unknown };
  }>;
  options: Record<string, unknown>;
  /** True when `temperature` is 0 or a `seed` is set: the answer must not vary between calls. */
  deterministic: boolean;
  /** A random source: seeded when deterministic, otherwise fresh per call. */
  random: () => number;
  /**
   * True when the model thinks: a model with the `thinking` capability whose request did not set
   * `think` to false (Ollama thinks by default on such models since v0.12.4).
   */
  think?: boolean;
  /** The request's `format` (`"json"` or a JSON schema), when set. */
  format?: unknown;
  /** Length of a text answer in tokens for this model and profile. */
  answerTokens?: number;
}

export type Script = (input: ScriptInput) => ScriptReply;

export interface SimModelConfig {
  /** Model name as clients send it, e.g. `llama3.2:3b`. `llama3.2` also matches `llama3.2:latest`. */
  name: string;
  family?: string;
  parameterSize?: string;
  quantizationLevel?: string;
  /** Ollama capabilities: `completion`, `tools`, `vision`, `thinking`, `embedding`. */
  capabilities?: string[];
  /** Embedding dimension for this model (default: the simulator's `embeddingDimensions`). */
  embeddingDimensions?: number;
  /** Latency overrides for this model. */
  latency?: Partial<LatencyModel>;
  /** Parallel slots for this model (default: the simulator's `parallel`). */
  parallel?: number;
  /** Length of generated text answers in tokens, before `num_predict` (default 24 for `fast`, more for others). */
  answerTokens?: number;
  /**
   * The chat template its prompts are rendered with (default: `llama3.2` for Llama 3 models,
   * `qwen3` for qwen3 ones, `qwen2.5`'s ChatML layout for the others).
   */
  template?: TemplateName;
}

/** The chat templates the simulator renders, each as Ollama's registry ships it for that model. */
export type TemplateName = 'llama3.2' | 'qwen3' | 'qwen2.5';

/** A fault to inject. `afterChunks` counts streamed NDJSON lines already written. */
export type Fault =
  /** Write `{"error": message}` as a line after N chunks, then end the stream (status stays 200). */
  | { type: 'error-line'; afterChunks: number; message?: string }
  /** Destroy the socket after N chunks, without a final chunk. */
  | { type: 'drop'; afterChunks: number }
  /** Stall for `ms` before the headers are sent (`afterChunks` absent) or after N chunks. */
  | { type: 'stall'; ms: number; afterChunks?: number }
  /** Answer with this HTTP status and `{"error": message}` before any byte of the body. */
  | { type: 'status'; status: number; message?: string };

export interface FaultRule {
  fault: Fault;
  /** Only requests to this route (e.g. `/api/chat`); all routes when absent. */
  route?: string;
  /** How many requests this rule applies to (default 1); `Infinity` for all. */
  times?: number;
}

export interface OllamaSimOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Address to listen on (default `127.0.0.1`). */
  host?: string;
  /** Named latency profile (default `fast`). */
  profile?: ProfileName;
  /** Overrides for every model, taken as given (the profile's figures are scaled per model; these are not). */
  latency?: Partial<LatencyModel>;
  /** Models the simulator knows (default: `llama3.2:3b`, `qwen3:8b`, `nomic-embed-text`). */
  models?: SimModelConfig[];
  /** Parallel slots per model, like OLLAMA_NUM_PARALLEL (default 1). */
  parallel?: number;
  /** Requests allowed to wait for a slot, like OLLAMA_MAX_QUEUE (default 512); past it: 503. */
  maxQueue?: number;
  /** Default keep_alive when a request has none, like OLLAMA_KEEP_ALIVE (default `5m`). */
  keepAlive?: string | number;
  /** Models loaded at start (no load cost on the first request). Default: none. */
  preload?: string[];
  /** Embedding dimension (default 768). */
  embeddingDimensions?: number;
  /** Replace the scripted model. */
  script?: Script;
  /** Faults applied to the next matching requests. */
  faults?: FaultRule[];
  /** Version reported by `GET /api/version` (default `0.33.0`). */
  version?: string;
  /** Largest request body accepted, in bytes (default 32 MiB); past it: 413. */
  maxBodyBytes?: number;
  /** Aborting it closes the simulator. */
  signal?: AbortSignal;
}

export interface OllamaSimStats {
  /** Requests received per route, e.g. `{ '/api/chat': 3 }`. */
  requests: Record<string, number>;
  /** TCP connections accepted since start. */
  connectionsOpened: number;
  /** TCP connections open now. */
  connectionsOpen: number;
  /** Generations (chat/generate/embed) running or waiting now. */
  generationsInFlight: number;
  /** Requests waiting for a parallel slot now. */
  queued: number;
  /** Names of models loaded now. */
  loadedModels: string[];
  /** Model loads paid since start. */
  modelLoads: number;
  /** Tokens generated (decoded) since start. */
  tokensGenerated: number;
  /** Prompt tokens evaluated (not served from a slot's prefix cache) since start. */
  promptTokensEvaluated: number;
  /** Prompt tokens served from a slot's prefix cache since start. */
  promptTokensCached: number;
  /** Generations stopped because the client went away before the end. */
  clientDisconnects: number;
  /** Requests answered 503 because the queue was full. */
  rejectedBusy: number;
  /** Simulator timers pending now: keep_alive countdowns, loads, stalls, decode waits. */
  timersPending?: number;
}

export interface OllamaSim {
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  readonly port: number;
  readonly host: string;
  stats(): OllamaSimStats;
  /** Zero the counters (loaded models stay loaded). */
  resetStats(): void;
  /** Add a fault rule for the next matching requests. */
  injectFault(rule: FaultRule): void;
  /** Remove every pending fault rule. */
  clearFaults(): void;
  /** Stop listening, end every connection and clear every timer. */
  close(): Promise<void>;
}
