import { z } from 'zod';
import type { ChatResponse, ToolCall } from './chat-types.js';
import type { GenerateResponse } from './generate-types.js';
import type {
  EmbeddingsResponse,
  EmbedResponse,
  PsResponse,
  ShowResponse,
  TagsResponse,
  VersionResponse,
} from './model-types.js';

/**
 * zod schemas for what Ollama sends, applied where it enters from the network: non-streamed bodies,
 * the final chunk of a stream and chunks that carry tool calls. Loose objects: fields a newer Ollama
 * adds pass through. Plain chunks only get a shape check in the hot path (see stream-chunks.ts).
 */

const count = z.number().optional();
const metrics = {
  total_duration: count,
  load_duration: count,
  prompt_eval_count: count,
  prompt_eval_duration: count,
  eval_count: count,
  eval_duration: count,
};

export const toolCallSchema: z.ZodType<ToolCall> = z.looseObject({
  id: z.string().optional(),
  function: z.looseObject({
    index: z.number().optional(),
    name: z.string(),
    arguments: z.record(z.string(), z.unknown()),
  }),
});

const messageSchema = z.looseObject({
  role: z.string(),
  content: z.string(),
  thinking: z.string().optional(),
  images: z
    .array(z.string())
    .nullish()
    .transform((images) => images ?? undefined),
  tool_calls: z.array(toolCallSchema).optional(),
  tool_name: z.string().optional(),
  tool_call_id: z.string().optional(),
});

const tokenLogprob = {
  token: z.string(),
  logprob: z.number(),
  bytes: z.array(z.number()).optional(),
};
const logprobSchema = z.looseObject({
  ...tokenLogprob,
  top_logprobs: z.array(z.looseObject(tokenLogprob)).optional(),
});

const chunkBase = {
  model: z.string(),
  created_at: z.string(),
  done: z.boolean(),
  done_reason: z.string().optional(),
  logprobs: z.array(logprobSchema).optional(),
  ...metrics,
};

export const chatResponseSchema: z.ZodType<ChatResponse> = z.looseObject({
  ...chunkBase,
  message: messageSchema,
});

export const generateResponseSchema: z.ZodType<GenerateResponse> = z.looseObject({
  ...chunkBase,
  response: z.string(),
  thinking: z.string().optional(),
  context: z.array(z.number()).optional(),
  tool_calls: z.array(toolCallSchema).optional(),
});

function isNumbers(value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) if (typeof value[i] !== 'number') return false;
  return true;
}

function isNumberArrays(value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  for (const row of value) if (!isNumbers(row)) return false;
  return true;
}

export const embedResponseSchema: z.ZodType<EmbedResponse> = z.looseObject({
  model: z.string(),
  // A plain loop: zod per number would cost milliseconds on a large batch.
  embeddings: z.custom<number[][]>(isNumberArrays, 'expected an array of number arrays'),
  total_duration: count,
  load_duration: count,
  prompt_eval_count: count,
});

export const embeddingsResponseSchema: z.ZodType<EmbeddingsResponse> = z.looseObject({
  embedding: z.custom<number[]>(isNumbers, 'expected an array of numbers'),
});

const detailsSchema = z
  .looseObject({
    parent_model: z.string().optional(),
    format: z.string().optional(),
    family: z.string().optional(),
    families: z.array(z.string()).nullish(),
    parameter_size: z.string().optional(),
    quantization_level: z.string().optional(),
  })
  .optional();

const modelSummary = {
  name: z.string(),
  model: z.string(),
  modified_at: z.string().optional(),
  size: z.number(),
  digest: z.string(),
  details: detailsSchema,
};

export const tagsResponseSchema: z.ZodType<TagsResponse> = z.looseObject({
  models: z.array(z.looseObject(modelSummary)),
});

export const psResponseSchema: z.ZodType<PsResponse> = z.looseObject({
  models: z.array(
    z.looseObject({
      ...modelSummary,
      expires_at: z.string().optional(),
      size_vram: z.number().optional(),
      context_length: z.number().optional(),
    }),
  ),
});

export const showResponseSchema: z.ZodType<ShowResponse> = z.looseObject({
  license: z.string().optional(),
  modelfile: z.string().optional(),
  parameters: z.string().optional(),
  template: z.string().optional(),
  system: z.string().optional(),
  details: detailsSchema,
  messages: z
    .array(z.unknown())
    .nullish()
    .transform((messages) => messages ?? undefined),
  model_info: z
    .record(z.string(), z.unknown())
    .nullish()
    .transform((info) => info ?? undefined),
  projector_info: z
    .record(z.string(), z.unknown())
    .nullish()
    .transform((info) => info ?? undefined),
  tensors: z
    .array(z.unknown())
    .nullish()
    .transform((tensors) => tensors ?? undefined),
  capabilities: z.array(z.string()).optional(),
  modified_at: z.string().optional(),
});

export const versionResponseSchema: z.ZodType<VersionResponse> = z.looseObject({
  version: z.string(),
});
