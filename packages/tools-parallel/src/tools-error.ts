/** Stable codes carried by every {@link ToolsError}. */
export type ToolsErrorCode =
  /** `runner.add()` after `commit()` or `cancel()` (thrown). */
  | 'TOOLS_RUNNER_CLOSED'
  /** A call named no registered tool (in a result). */
  | 'TOOLS_NOT_FOUND'
  /** The arguments failed the tool's schema, or were not a JSON object (in a result). */
  | 'TOOLS_INVALID_ARGUMENTS'
  /** The call's deadline passed; its signal aborted with a `TimeoutError` (in a result). */
  | 'TOOLS_TIMEOUT'
  /** `execute` (or a refinement) threw, or its value cannot be written as JSON (in a result). */
  | 'TOOLS_FAILED'
  /** The run's signal aborted, `cancel()`, or `maxCalls` was passed (in a result). */
  | 'TOOLS_ABORTED';

/** The codes a failed call's result carries. */
export type ToolCallErrorCode = Exclude<ToolsErrorCode, 'TOOLS_RUNNER_CLOSED'>;

/** The one error class of this package: thrown by the runner, or carried by a failed call's result. */
export class ToolsError<Code extends ToolsErrorCode = ToolsErrorCode> extends Error {
  override readonly name = 'ToolsError';
  readonly code: Code;

  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** The error of a failed tool call; it travels in the call's result, never thrown. */
export type ToolCallError = ToolsError<ToolCallErrorCode>;

/** True when `value` is a {@link ToolsError}, and carries `code` when one is given. */
export function isToolsError(value: unknown, code?: ToolsErrorCode): value is ToolsError {
  return value instanceof ToolsError && (code === undefined || value.code === code);
}

/** What happened to a failed call, in words a user (and the CLI's or the UI's line) reads. */
export type ToolFailureKind = 'not-found' | 'invalid-arguments' | 'timeout' | 'failed' | 'aborted';

const KINDS: Record<ToolCallErrorCode, ToolFailureKind> = {
  TOOLS_NOT_FOUND: 'not-found',
  TOOLS_INVALID_ARGUMENTS: 'invalid-arguments',
  TOOLS_TIMEOUT: 'timeout',
  TOOLS_FAILED: 'failed',
  TOOLS_ABORTED: 'aborted',
};

/** The {@link ToolFailureKind} of a call's error code. */
export function failureKind(code: ToolCallErrorCode): ToolFailureKind {
  return KINDS[code];
}

/** A short text for whatever a tool threw or an abort carried. */
export function describeReason(reason: unknown, fallback: string): string {
  if (reason instanceof Error) return reason.message || reason.name;
  if (typeof reason === 'string' && reason !== '') return reason;
  if (reason === undefined || reason === null) return fallback;
  try {
    return JSON.stringify(reason) ?? String(reason);
  } catch {
    return String(reason);
  }
}
