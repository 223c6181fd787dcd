/**
 * The `options` of a request, read like Ollama's `Options.FromMap`: wrong types are errors with
 * Ollama's text (a 500, as Ollama's scheduler answers them).
 */
import { httpError } from './errors.js';
import { DEFAULT_CONTEXT_LENGTH } from './model-runner.js';

const INTEGER_OPTIONS = new Set([
  'num_keep',
  'seed',
  'num_predict',
  'top_k',
  'repeat_last_n',
  'num_ctx',
  'num_batch',
  'num_gpu',
  'main_gpu',
  'num_thread',
  'mirostat',
]);
const FLOAT_OPTIONS = new Set([
  'top_p',
  'min_p',
  'typical_p',
  'temperature',
  'repeat_penalty',
  'presence_penalty',
  'frequency_penalty',
  'mirostat_tau',
  'mirostat_eta',
]);
const BOOL_OPTIONS = new Set([
  'numa',
  'low_vram',
  'f16_kv',
  'logits_all',
  'vocab_only',
  'use_mmap',
  'use_mlock',
  'penalize_newline',
]);
/** Options whose change reloads the model (Ollama's `needsReload`). */
const LOAD_OPTIONS = ['num_ctx', 'num_batch', 'num_gpu', 'main_gpu', 'num_thread', 'use_mmap', 'low_vram'];
/** Largest `num_ctx` the simulator accepts (it bounds each slot's prefix cache). */
export const MAX_CONTEXT_LENGTH = 262_144;

export interface RequestOptions {
  temperature: number;
  /** -1 when not set (Ollama's default: random). */
  seed: number;
  /** Tokens to generate at most; 0 or less means no limit. */
  numPredict: number;
  numCtx: number;
  stop: string[];
  /** A key of the load-time options: a different key reloads the model. */
  loadKey: string;
  /** The options as sent, for the script. */
  raw: Record<string, unknown>;
}

const fail = (message: string) => httpError(500, message);

export function readRequestOptions(options: unknown): RequestOptions {
  const raw = options !== null && typeof options === 'object' ? (options as Record<string, unknown>) : {};
  for (const [key, value] of Object.entries(raw)) {
    if (value === null) continue;
    if (INTEGER_OPTIONS.has(key) && typeof value !== 'number')
      throw fail(`option "${key}" must be of type integer`);
    if (FLOAT_OPTIONS.has(key) && typeof value !== 'number')
      throw fail(`option "${key}" must be of type float32`);
    if (BOOL_OPTIONS.has(key) && typeof value !== 'boolean')
      throw fail(`option "${key}" must be of type boolean`);
    if (key === 'stop') {
      if (!Array.isArray(value)) throw fail('option "stop" must be of type array');
      if (!value.every((item) => typeof item === 'string'))
        throw fail('option "stop" must be of an array of strings');
    }
  }
  const integer = (key: string, fallback: number) =>
    typeof raw[key] === 'number' ? Math.trunc(raw[key]) : fallback;
  const numCtx = Math.min(Math.max(integer('num_ctx', DEFAULT_CONTEXT_LENGTH), 1), MAX_CONTEXT_LENGTH);
  return {
    temperature: typeof raw.temperature === 'number' ? raw.temperature : 0.8,
    seed: integer('seed', -1),
    numPredict: integer('num_predict', -1),
    numCtx,
    stop: Array.isArray(raw.stop) ? (raw.stop as string[]).filter((item) => item !== '') : [],
    loadKey: JSON.stringify(LOAD_OPTIONS.map((key) => (key === 'num_ctx' ? numCtx : (raw[key] ?? null)))),
    raw,
  };
}

/** True when identical requests must give identical answers: temperature 0 or a seed. */
export function isDeterministic(options: RequestOptions): boolean {
  return options.temperature === 0 || options.seed !== -1;
}
