import type { ChunkBase, Format, KeepAlive, ModelOptions, Think } from './common-types.js';

/** One tool call. `arguments` is a JSON object (not a string, unlike the OpenAI-compatible route). */
export interface ToolCall {
  /** `call_` and 8 characters; absent from servers older than the tool-call ids. */
  id?: string;
  function: {
    /** Position of the call in the answer, counting from 0. */
    index?: number;
    name: string;
    arguments: Record<string, unknown>;
  };
}

/** A tool the model may call: a function with a JSON schema for its arguments. */
export interface Tool {
  type: 'function';
  function: {
    name: string;
    description?: string;
    parameters?: {
      type: string;
      required?: string[];
      properties?: Record<string, unknown>;
      [key: string]: unknown;
    };
  };
}

export interface Message {
  role: 'system' | 'user' | 'assistant' | 'tool' | (string & {});
  content: string;
  thinking?: string;
  /** Base64-encoded images. */
  images?: string[];
  tool_calls?: ToolCall[];
  /** On a `tool` message: the tool the result belongs to. */
  tool_name?: string;
  tool_call_id?: string;
}

export interface ChatRequest {
  model: string;
  messages?: Message[];
  tools?: Tool[];
  format?: Format;
  options?: ModelOptions;
  /** Ollama streams unless this is `false`. */
  stream?: boolean;
  keep_alive?: KeepAlive;
  think?: Think;
  truncate?: boolean;
  shift?: boolean;
  logprobs?: boolean;
  top_logprobs?: number;
}

/** One streamed chat chunk, or the whole answer with `stream: false`. */
export interface ChatResponse extends ChunkBase {
  message: Message;
}
