import {
  assertCount,
  assertFunction,
  assertKnownKeys,
  assertSignal,
  assertTimeout,
  show,
} from './options.js';
import type { ToolResult } from './tool-result.js';

/** What `onStart` receives when a tool's `execute` is called. */
export interface ToolStart {
  readonly index: number;
  readonly callId: string;
  readonly name: string;
  /** The arguments after zod parsed them. */
  readonly arguments: unknown;
}

export interface RunToolsOptions {
  /** How many tools run at once, eager and committed together. Default 8. */
  concurrency?: number;
  /** Deadline of each call in ms, unless its tool sets its own. `Infinity` for none. Default 30,000. */
  timeoutMs?: number;
  /** Aborts every running tool; calls not finished come back `aborted`. */
  signal?: AbortSignal;
  /** Called as each tool's `execute` is called. Exceptions it throws are ignored. */
  onStart?: (start: ToolStart) => void;
  /** Called with each result as it is settled, in finishing order. Exceptions it throws are ignored. */
  onResult?: (result: ToolResult) => void;
  /** Longest `output` in characters; longer ones are cut with a note. Default 8,000. */
  maxOutputChars?: number;
  /** Most calls one runner runs; calls past it come back `aborted` without running. Default 128. */
  maxCalls?: number;
}

export interface ResolvedOptions {
  readonly concurrency: number;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
  readonly onStart: ((start: ToolStart) => void) | undefined;
  readonly onResult: ((result: ToolResult) => void) | undefined;
  readonly maxOutputChars: number;
  readonly maxCalls: number;
}

/** The smallest `maxOutputChars`: enough for a short error to stay readable. */
export const MIN_OUTPUT_CHARS = 100;

/** Check every option, naming the one that is wrong, and fill in the defaults. */
export function resolveOptions(options: RunToolsOptions = {}): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`Expected \`options\` to be an object, got ${show(options)}`);
  }
  assertKnownKeys('the run options', options, [
    'concurrency',
    'timeoutMs',
    'signal',
    'onStart',
    'onResult',
    'maxOutputChars',
    'maxCalls',
  ] satisfies (keyof RunToolsOptions)[]);
  const { concurrency = 8, timeoutMs = 30_000, signal, onStart, onResult } = options;
  const { maxOutputChars = 8_000, maxCalls = 128 } = options;
  assertSignal('`signal`', signal);
  assertFunction('`onStart`', onStart);
  assertFunction('`onResult`', onResult);
  return {
    concurrency: assertCount('`concurrency`', concurrency, 1, true),
    timeoutMs: assertTimeout('`timeoutMs`', timeoutMs),
    signal,
    onStart,
    onResult,
    maxOutputChars: assertCount('`maxOutputChars`', maxOutputChars, MIN_OUTPUT_CHARS),
    maxCalls: assertCount('`maxCalls`', maxCalls, 1),
  };
}
