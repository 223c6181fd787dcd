/** What went wrong in a `lunar` command, stable enough to branch on (and to test). */
export type CliErrorCode =
  /** A bad command line: an unknown flag, a bad value, a missing argument (exit 2, with the usage). */
  | 'CLI_USAGE'
  /** OLLAMA_HOST is not a URL Lunar can dial. */
  | 'CLI_BAD_HOST'
  /** The Ollama named by `--ollama-host` or OLLAMA_HOST does not answer. */
  | 'CLI_OLLAMA_UNREACHABLE'
  /** `--allow-dir` is not a directory. */
  | 'CLI_BAD_ALLOW_DIR'
  /** The chat model is not on the Ollama server. */
  | 'CLI_MODEL_NOT_FOUND'
  /** The chat model could not be loaded for another reason. */
  | 'CLI_WARMUP_FAILED'
  /** The memory file, or the memory asked for, does not exist. */
  | 'CLI_NO_MEMORY'
  /** Memory needs the embedding model, which the Ollama server does not have. */
  | 'CLI_NO_EMBED_MODEL'
  /** The memory file could not be opened. */
  | 'CLI_MEMORY_OPEN'
  /** The simulator did not start. */
  | 'CLI_SIM_START'
  /** The benchmark failed. */
  | 'CLI_BENCH_FAILED';

/** A failure the user can act on: the message is printed as is, and the exit code is 1 (2 for `CLI_USAGE`). */
export class CliError extends Error {
  override readonly name: string = 'CliError';
  readonly code: CliErrorCode;

  constructor(code: CliErrorCode, message: string, fields: { cause?: unknown } = {}) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.code = code;
  }
}

/** A bad command line (`CLI_USAGE`): the command's usage is printed with the message. */
export class UsageError extends CliError {
  override readonly name: string = 'UsageError';
  declare readonly code: 'CLI_USAGE';

  constructor(message: string) {
    super('CLI_USAGE', message);
  }
}

/** True when `value` is a CliError (of the given code, when one is passed). */
export function isCliError(value: unknown, code?: CliErrorCode): value is CliError {
  return value instanceof CliError && (code === undefined || value.code === code);
}

/** Exit codes: 0 done, 1 runtime error, 2 usage error, 130 interrupted (Ctrl-C). */
export const EXIT = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;
