import type { Message } from '@lunar/ollama-stream';
import type { ToolCallError, ToolFailureKind } from './tools-error.js';

interface ToolResultBase {
  /** The call's position in the order it was given or added. */
  readonly index: number;
  readonly callId: string;
  /** The tool name the model asked for (even when no such tool exists). */
  readonly name: string;
  /** What the model reads: the value serialised, or `Error: ...`; at most `maxOutputChars` long. */
  readonly output: string;
  /** From the moment the call got its slot until its result; 0 when it never got one. */
  readonly durationMs: number;
  /** Whether `execute` was called, i.e. whether the tool could have had any effect. */
  readonly started: boolean;
}

export interface ToolSuccess extends ToolResultBase {
  readonly ok: true;
  /** What `execute` returned, as it returned it. */
  readonly value: unknown;
}

export interface ToolFailure extends ToolResultBase {
  readonly ok: false;
  /** What happened, in words: `'timeout'` for `TOOLS_TIMEOUT`. */
  readonly kind: ToolFailureKind;
  readonly error: ToolCallError;
}

/** The outcome of one tool call. It never throws: every failure is a result. */
export type ToolResult = ToolSuccess | ToolFailure;

/** A `tool` message for Ollama's `/api/chat` (a `Message`), carrying one result back to the model. */
export interface ToolMessage extends Message {
  role: 'tool';
  tool_name: string;
}

/** The message that feeds a result back to the model, in Ollama's shape. */
export function toToolMessage(result: ToolResult): ToolMessage {
  return { role: 'tool', content: result.output, tool_name: result.name };
}
