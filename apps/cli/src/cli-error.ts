/** A bad command line: the command's usage is printed with the message, and the exit code is 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code = 'LUNAR_USAGE';
}

/** A failure the user can act on: the message is printed as is, and the exit code is 1. */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Exit codes: 0 done, 1 runtime error, 2 usage error, 130 interrupted (Ctrl-C). */
export const EXIT = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;
