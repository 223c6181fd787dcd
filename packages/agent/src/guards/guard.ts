/**
 * Guards check what goes into the model and what comes out of it.
 *
 * An input guard looks at the user's message before the turn starts and allows it, refuses it
 * with a reason the user can read, or rewrites it. An output guard sees the answer as it streams
 * and may rewrite it (redaction); it holds back only as much text as one of its patterns could
 * still match, so the first token still reaches the user at once.
 */

export type GuardVerdict =
  | { action: 'allow' }
  | { action: 'refuse'; reason: string }
  | { action: 'rewrite'; text: string; reason?: string };

export interface InputGuardContext {
  sessionId: string;
  signal: AbortSignal;
}

export interface InputGuard {
  readonly name: string;
  check(text: string, context: InputGuardContext): GuardVerdict | Promise<GuardVerdict>;
}

/** One answer's worth of streaming state for an output guard. */
export interface OutputGuardStream {
  /** Takes the next piece of the answer; returns the text that is safe to show now. */
  push(text: string): string;
  /** The answer has ended: returns whatever was held back, rewritten where needed. */
  flush(): string;
  /** How many rewrites this stream made so far (for the profile). */
  readonly rewrites: number;
}

export interface OutputGuard {
  readonly name: string;
  createStream(): OutputGuardStream;
}

export const allow: GuardVerdict = Object.freeze({ action: 'allow' });
