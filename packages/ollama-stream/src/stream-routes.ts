import type { z } from 'zod';
import type { ChatResponse, ToolCall } from './chat-types.js';
import type { ChunkBase, Logprob } from './common-types.js';
import type { GenerateResponse } from './generate-types.js';
import { chatResponseSchema, generateResponseSchema } from './response-schemas.js';

/** Gathers a stream's chunks into the answer `stream: false` would have given. */
export interface Accumulator<T> {
  add(chunk: T): void;
  result(final: T): T;
}

/** What differs between streamed chat and generate: shape checks, text, accumulation. */
export interface StreamRoute<T extends ChunkBase> {
  readonly what: string;
  /** Schema of the final chunk and of chunks with tool calls (validated in full, off the hot path). */
  readonly schema: z.ZodType<T>;
  /** The cheap per-chunk shape check. */
  isChunk(value: Record<string, unknown>): boolean;
  needsValidation(value: T): boolean;
  content(chunk: T): string;
  accumulator(): Accumulator<T>;
}

class Gathered {
  content = '';
  thinking = '';
  toolCalls: ToolCall[] = [];
  logprobs: Logprob[] = [];

  add(
    content: string | undefined,
    thinking: string | undefined,
    toolCalls: ToolCall[] | undefined,
    chunk: ChunkBase,
  ) {
    if (content) this.content += content;
    if (thinking) this.thinking += thinking;
    if (toolCalls) for (const call of toolCalls) this.toolCalls.push(call);
    if (chunk.logprobs) for (const logprob of chunk.logprobs) this.logprobs.push(logprob);
  }

  extras(): { thinking?: string; tool_calls?: ToolCall[] } {
    return {
      ...(this.thinking === '' ? {} : { thinking: this.thinking }),
      ...(this.toolCalls.length === 0 ? {} : { tool_calls: this.toolCalls }),
    };
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export const chatRoute: StreamRoute<ChatResponse> = {
  what: 'chat',
  schema: chatResponseSchema,
  isChunk: (value) => isObject(value.message) && typeof value.message.content === 'string',
  needsValidation: (chunk) => chunk.done || chunk.message.tool_calls !== undefined,
  content: (chunk) => chunk.message.content,
  accumulator() {
    const gathered = new Gathered();
    return {
      add(chunk) {
        gathered.add(chunk.message.content, chunk.message.thinking, chunk.message.tool_calls, chunk);
      },
      result(final) {
        const { thinking: _thinking, tool_calls: _toolCalls, ...message } = final.message;
        return {
          ...final,
          message: { ...message, content: gathered.content, ...gathered.extras() },
          ...(gathered.logprobs.length === 0 ? {} : { logprobs: gathered.logprobs }),
        };
      },
    };
  },
};

export const generateRoute: StreamRoute<GenerateResponse> = {
  what: 'generate',
  schema: generateResponseSchema,
  isChunk: (value) => typeof value.response === 'string',
  needsValidation: (chunk) => chunk.done || chunk.tool_calls !== undefined,
  content: (chunk) => chunk.response,
  accumulator() {
    const gathered = new Gathered();
    return {
      add(chunk) {
        gathered.add(chunk.response, chunk.thinking, chunk.tool_calls, chunk);
      },
      result(final) {
        const { thinking: _thinking, tool_calls: _toolCalls, ...rest } = final;
        return {
          ...rest,
          response: gathered.content,
          ...gathered.extras(),
          ...(gathered.logprobs.length === 0 ? {} : { logprobs: gathered.logprobs }),
        };
      },
    };
  },
};
