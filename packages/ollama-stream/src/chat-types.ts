import type { ChunkBase, Format, KeepAlive, ModelOptions, Think } from './common-types.js';

/**
 * One tool call, as Ollama's `/api/chat` and `/api/generate` send it in `message.tool_calls` and as
 * a chat request sends it back in an assistant message. `arguments` is a JSON object (not a string,
 * unlike the OpenAI-compatible `/v1` routes). Lunar's one definition: other packages use this type.
 */
export interface ToolCall {
  /** `call_` and 8 characters; absent from servers older than the tool-call ids. */
  id?: string;
  function: {
    /** Position of the call in the answer, counting from 0. */
    index?: number;
    /** The tool's name, as given in the request's `tools`. */
    name: string;
    arguments: Record<string, unknown>;
  };
}

/**
 * A tool the model may call (an entry of a chat request's `tools`): a function with a JSON Schema
 * for its arguments. Lunar's one definition: other packages use this type. Read-only arrays are
 * accepted, so a frozen tool list needs no copy.
 */
export interface Tool {
  type: 'function';
  function: {
    /** What the model calls it by. */
    name: string;
    /** What it does and when to use it: the model reads this. */
    description?: string;
    /** JSON Schema of the arguments, an object schema (`{ type: 'object', properties, required }`). */
    parameters?: {
      type: string;
      required?: readonly string[];
      properties?: Readonly<Record<string, unknown>>;
      [key: string]: unknown;
    };
  };
}

/**
 * One message of a chat: in a request's `messages`, and the `message` of each chat chunk (whose
 * `content` and `thinking` are then a piece of the answer). Lunar's one definition: other packages
 * use this type.
 */
export interface Message {
  /** `system`, `user`, `assistant` or `tool` (the result of a tool call); Ollama passes others to the template. */
  role: 'system' | 'user' | 'assistant' | 'tool' | (string & {});
  content: string;
  /** The model's reasoning, for thinking models (`think` on); not part of the answer. */
  thinking?: string;
  /** Base64-encoded images, for vision models. */
  images?: readonly string[];
  /** On an assistant message: the tools it called. */
  tool_calls?: ToolCall[];
  /** On a `tool` message: the tool the result belongs to. */
  tool_name?: string;
  /** On a `tool` message: the `id` of the call it answers. */
  tool_call_id?: string;
}

export interface ChatRequest {
  model: string;
  messages?: readonly Message[];
  tools?: readonly Tool[];
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
