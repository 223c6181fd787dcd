import type { LLMRequest } from '@lunar/llm-cache';
import type { ProxyOperation } from '../options.js';

type Json = Record<string, unknown>;

/**
 * The request the LLM cache keys an OpenAI-compatible call by. Ollama runs `/v1` calls with
 * `temperature` 1.0 when the request has none (its Modelfile default does not apply), so the
 * temperature the host will really use goes in `options`, where the cache's policy reads it: only
 * `temperature: 0` or an integer `seed` makes a chat or completion cacheable; embeddings always are.
 * Every field of the body is part of the key, `stream` and `stream_options` included (the streamed
 * and whole answers are two shapes), under the path, so `/v1` and `/api` answers never mix.
 */
export function keyedRequest(
  path: string,
  operation: ProxyOperation,
  body: Json & { model: string },
): LLMRequest {
  const { model, ...rest } = body;
  const openai = { path, body: rest };
  if (operation === 'embed') return { model, input: body.input as LLMRequest['input'], openai } as LLMRequest;
  const options: Json = { temperature: typeof body.temperature === 'number' ? body.temperature : 1 };
  if (typeof body.seed === 'number') options.seed = body.seed;
  return { model, options, openai } as LLMRequest;
}
