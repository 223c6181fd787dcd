import type { z } from 'zod';
import type { ChatResponse } from './chat-types.js';
import type { ChunkBase } from './common-types.js';
import { GatheredAnswer } from './gathered-answer.js';
import type { GenerateResponse } from './generate-types.js';
import { chatResponseSchema, generateResponseSchema } from './response-schemas.js';

/** Gathers a stream's chunks into the answer `stream: false` would have given, up to a size limit. */
export interface Accumulator<T> {
  /** Gather a chunk; false once the answer passed the limit (nothing more is kept then). */
  add(chunk: T): boolean;
  result(final: T): T;
}

/** What differs between streamed chat and generate: shape checks, text, accumulation. */
export interface StreamRoute<T extends ChunkBase> {
  readonly what: string;
  /** Schema of the final chunk and of chunks with tool calls (validated in full, off the hot path). */
  readonly schema: z.ZodType<T>;
  /**
   * The cheap per-chunk shape check: the text every chunk carries. The chunks `needsValidation`
   * picks (the final one, tool calls) are then validated in full against `schema`.
   */
  isChunk(value: Record<string, unknown>): value is Record<string, unknown> & T;
  needsValidation(value: T): boolean;
  content(chunk: T): string;
  /** A new accumulator that keeps at most about `limitBytes` (estimated from string lengths). */
  accumulator(limitBytes: number): Accumulator<T>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export const chatRoute: StreamRoute<ChatResponse> = {
  what: 'chat',
  schema: chatResponseSchema,
  isChunk: (value): value is Record<string, unknown> & ChatResponse =>
    isObject(value.message) && typeof value.message.content === 'string',
  needsValidation: (chunk) => chunk.done || chunk.message.tool_calls !== undefined,
  content: (chunk) => chunk.message.content,
  accumulator(limitBytes) {
    const gathered = new GatheredAnswer(limitBytes);
    return {
      add(chunk) {
        return gathered.add(chunk.message.content, chunk.message.thinking, chunk.message.tool_calls, chunk);
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
  isChunk: (value): value is Record<string, unknown> & GenerateResponse => typeof value.response === 'string',
  needsValidation: (chunk) => chunk.done || chunk.tool_calls !== undefined,
  content: (chunk) => chunk.response,
  accumulator(limitBytes) {
    const gathered = new GatheredAnswer(limitBytes);
    return {
      add(chunk) {
        return gathered.add(chunk.response, chunk.thinking, chunk.tool_calls, chunk);
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
