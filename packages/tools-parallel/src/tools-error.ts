/** What went wrong with one tool call. Each code is also a result the model reads. */
export type ToolCallErrorCode = 'not-found' | 'invalid-arguments' | 'timeout' | 'failed' | 'aborted';

/** Base class of every error this package throws or reports, with a stable `code`. */
export class ToolsError extends Error {
  override name = 'ToolsError';
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** The error of a failed tool call; it travels in the call's result, never thrown. */
export class ToolCallError extends ToolsError {
  override name = 'ToolCallError';
  declare readonly code: ToolCallErrorCode;

  constructor(code: ToolCallErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
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
