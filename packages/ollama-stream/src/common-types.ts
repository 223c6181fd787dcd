/** Shapes shared by several Ollama routes (Ollama's `api/types.go`). Durations are nanoseconds. */

/** Seconds as a number (negative: forever, 0: unload now) or a Go duration string (`"10m"`, `"-1m"`). */
export type KeepAlive = number | string;

/** `"json"` or a JSON schema object the answer must follow. */
export type Format = 'json' | Record<string, unknown>;

/** Thinking on/off, or an effort level for models that take one. */
export type Think = boolean | 'low' | 'medium' | 'high' | 'max';

/** Runner options (`Options` in api/types.go). Load-time ones reload the model when they change. */
export interface ModelOptions {
  num_keep?: number;
  seed?: number;
  num_predict?: number;
  top_k?: number;
  top_p?: number;
  min_p?: number;
  typical_p?: number;
  repeat_last_n?: number;
  temperature?: number;
  repeat_penalty?: number;
  presence_penalty?: number;
  frequency_penalty?: number;
  stop?: string[];
  num_ctx?: number;
  num_batch?: number;
  num_gpu?: number;
  main_gpu?: number;
  use_mmap?: boolean;
  num_thread?: number;
  [option: string]: unknown;
}

/** Ollama's timing and token counts, on the final (`done: true`) chunk. All optional: zero values are omitted. */
export interface Metrics {
  total_duration?: number;
  load_duration?: number;
  prompt_eval_count?: number;
  prompt_eval_duration?: number;
  eval_count?: number;
  eval_duration?: number;
}

export interface TokenLogprob {
  token: string;
  logprob: number;
  bytes?: number[];
}

export interface Logprob extends TokenLogprob {
  top_logprobs?: TokenLogprob[];
}

/** Fields every streamed chat or generate chunk carries. */
export interface ChunkBase extends Metrics {
  model: string;
  /** RFC 3339 time with nanoseconds, as a string. */
  created_at: string;
  done: boolean;
  /** `stop`, `length`, `load` or `unload`, on the final chunk. */
  done_reason?: string;
  logprobs?: Logprob[];
}
