import { truncateOutput } from './tool-output.js';
import type { ToolFailure, ToolResult, ToolSuccess } from './tool-result.js';
import { failureKind, type ToolCallError, type ToolCallErrorCode, ToolsError } from './tools-error.js';

/** What a result is made from, besides its outcome. */
export interface CallFacts {
  readonly index: number;
  readonly callId: string;
  readonly name: string;
  /** `performance.now()` when the call got its slot; undefined if it never did. */
  readonly startedAt: number | undefined;
  readonly started: boolean;
}

function durationOf(facts: CallFacts): number {
  return facts.startedAt === undefined ? 0 : performance.now() - facts.startedAt;
}

export function success(facts: CallFacts, value: unknown, output: string, maxChars: number): ToolSuccess {
  const { index, callId, name, started } = facts;
  const durationMs = durationOf(facts);
  return {
    index,
    callId,
    name,
    ok: true,
    value,
    output: truncateOutput(output, maxChars),
    durationMs,
    started,
  };
}

export function failure(facts: CallFacts, error: ToolCallError, maxChars: number): ToolFailure {
  const { index, callId, name, started } = facts;
  const output = truncateOutput(`Error: ${error.message}`, maxChars);
  const kind = failureKind(error.code);
  return { index, callId, name, ok: false, kind, error, output, durationMs: durationOf(facts), started };
}

/** A failure from a code and a message the model reads. */
export function fail(
  facts: CallFacts,
  code: ToolCallErrorCode,
  message: string,
  maxChars: number,
  cause?: unknown,
): ToolResult {
  return failure(facts, new ToolsError(code, message, cause === undefined ? undefined : { cause }), maxChars);
}
