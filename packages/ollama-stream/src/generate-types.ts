import type { ToolCall } from './chat-types.js';
import type { ChunkBase, Format, KeepAlive, ModelOptions, Think } from './common-types.js';

export interface GenerateRequest {
  model: string;
  prompt?: string;
  suffix?: string;
  system?: string;
  template?: string;
  /** Deprecated by Ollama: the context of a previous answer. */
  context?: number[];
  /** Ollama streams unless this is `false`. */
  stream?: boolean;
  raw?: boolean;
  format?: Format;
  keep_alive?: KeepAlive;
  /** Base64-encoded images. */
  images?: readonly string[];
  options?: ModelOptions;
  think?: Think;
  truncate?: boolean;
  shift?: boolean;
  logprobs?: boolean;
  top_logprobs?: number;
}

/** One streamed generate chunk, or the whole answer with `stream: false`. */
export interface GenerateResponse extends ChunkBase {
  response: string;
  thinking?: string;
  context?: number[];
  tool_calls?: ToolCall[];
}
