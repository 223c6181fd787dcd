/** Reading an OpenAI request body as Ollama's `ShouldBindJSON` does: the first JSON value, an object. */
import { httpError } from '../errors.js';
import { JsonEmptyError, parseFirstJsonValue } from '../json-syntax.js';

export function readOpenAIBody(body: string, goType: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = parseFirstJsonValue(body);
  } catch (error) {
    if (error instanceof JsonEmptyError) throw httpError(400, 'EOF', { cause: error });
    throw httpError(400, (error as Error).message, { cause: error });
  }
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    const kind = Array.isArray(value) ? 'array' : typeof value === 'boolean' ? 'bool' : typeof value;
    throw httpError(400, `json: cannot unmarshal ${kind} into Go value of type openai.${goType}`);
  }
  return value as Record<string, unknown>;
}

/** A unique-enough id as Ollama makes them: `prefix-N`, N below 999 (so they repeat often). */
export function responseId(prefix: string): string {
  return `${prefix}-${Math.floor(Math.random() * 999)}`;
}

/** A native `created_at` (RFC 3339) as Unix seconds; now when there is none. */
export function unixSeconds(createdAt: unknown): number {
  const ms = typeof createdAt === 'string' ? Date.parse(createdAt) : Number.NaN;
  return Math.floor((Number.isNaN(ms) ? Date.now() : ms) / 1000);
}

/** The OpenAI sampling fields Ollama maps into `options` (temperature and top_p default to 1). */
export function samplingOptions(
  body: Record<string, unknown>,
  completions: boolean,
): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  const stop = body.stop;
  if (typeof stop === 'string') options.stop = [stop];
  else if (Array.isArray(stop)) {
    if (completions && stop.some((entry) => typeof entry !== 'string')) {
      const bad = stop.find((entry) => typeof entry !== 'string');
      throw httpError(
        400,
        `invalid type for 'stop' field: ${typeof bad === 'number' ? 'float64' : typeof bad}`,
      );
    }
    options.stop = stop.filter((entry) => typeof entry === 'string');
  }
  if (typeof body.max_tokens === 'number') options.num_predict = body.max_tokens;
  options.temperature = typeof body.temperature === 'number' ? body.temperature : 1.0;
  if (typeof body.seed === 'number') options.seed = body.seed;
  if (completions) {
    options.frequency_penalty = typeof body.frequency_penalty === 'number' ? body.frequency_penalty : 0;
    options.presence_penalty = typeof body.presence_penalty === 'number' ? body.presence_penalty : 0;
    options.top_p = typeof body.top_p === 'number' && body.top_p !== 0 ? body.top_p : 1.0;
  } else {
    if (typeof body.frequency_penalty === 'number') options.frequency_penalty = body.frequency_penalty;
    if (typeof body.presence_penalty === 'number') options.presence_penalty = body.presence_penalty;
    options.top_p = typeof body.top_p === 'number' ? body.top_p : 1.0;
  }
  return options;
}

/** `stream_options.include_usage`. */
export function includesUsage(body: Record<string, unknown>): boolean {
  const options = body.stream_options as { include_usage?: unknown } | null | undefined;
  return options?.include_usage === true;
}

/** OpenAI's `usage` from a native final chunk: prompt and completion tokens, and their sum. */
export function usageOf(native: Record<string, unknown>): Record<string, number> {
  const prompt = Number(native.prompt_eval_count ?? 0);
  const completion = Number(native.eval_count ?? 0);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}
