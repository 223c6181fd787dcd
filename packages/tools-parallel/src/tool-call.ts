import type { ToolCall } from '@lunar/ollama-stream';
import { show } from './options.js';
import { type ToolCallError, ToolsError } from './tools-error.js';

/**
 * A tool call in the shape of OpenAI's chat completions (Ollama's `/v1` routes): `type:
 * 'function'` and `arguments` a JSON string. The runner takes these as well as Ollama's own
 * `ToolCall` (from `@lunar/ollama-stream`, `arguments` an object).
 */
export interface OpenAIToolCall {
  id?: string;
  type?: 'function';
  function: {
    index?: number;
    name: string;
    arguments?: string | null;
  };
}

/** A call read into its parts; `error` is set when its arguments could not be read. */
export interface ParsedToolCall {
  readonly callId: string;
  readonly name: string;
  readonly args: Record<string, unknown>;
  readonly error: ToolCallError | undefined;
}

/** An id in Ollama's form: `call_` and 8 characters from a-z 0-9. */
export function createCallId(): string {
  // 36^8 < 2^53, so one random number gives all 8 characters.
  const digits = Math.floor(Math.random() * 36 ** 8).toString(36);
  return `call_${digits.padStart(8, '0')}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(name: string, problem: string, cause?: unknown): ToolCallError {
  const message = `Invalid arguments for ${name}: ${problem}. Fix them and call ${name} again.`;
  return new ToolsError('TOOLS_INVALID_ARGUMENTS', message, cause === undefined ? undefined : { cause });
}

function readArguments(name: string, raw: unknown): { args: Record<string, unknown>; error?: ToolCallError } {
  if (raw === undefined || raw === null) return { args: {} };
  if (isPlainObject(raw)) return { args: raw };
  if (typeof raw === 'string') {
    if (raw.trim() === '') return { args: {} };
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { args: {}, error: invalid(name, `not valid JSON (${reason})`, error) };
    }
    if (isPlainObject(parsed)) return { args: parsed };
    raw = parsed;
  }
  const kind = raw === null ? 'null' : Array.isArray(raw) ? 'an array' : `a ${typeof raw}`;
  return { args: {}, error: invalid(name, `expected a JSON object, got ${kind}`) };
}

/**
 * Read one call in either shape. A call that is not shaped like a call at all is a bug in the
 * caller and throws a TypeError; anything the model got wrong comes back as `error`.
 */
export function parseToolCall(call: ToolCall | OpenAIToolCall, position: number): ParsedToolCall {
  if (
    typeof call !== 'object' ||
    call === null ||
    typeof call.function !== 'object' ||
    call.function === null
  ) {
    throw new TypeError(
      `Expected tool call ${position} to be { id?, function: { name, arguments } }, got ${show(call)}`,
    );
  }
  const callId = typeof call.id === 'string' && call.id !== '' ? call.id : createCallId();
  const name = typeof call.function.name === 'string' ? call.function.name : '';
  const { args, error } = readArguments(name, call.function.arguments);
  return { callId, name, args, error };
}
