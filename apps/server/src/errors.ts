/** Every failure lunar-server reports has one of these codes. Branch on `error.code`. */
export type LunarServerErrorCode =
  /** Asked to listen on a non-loopback address without a token. */
  | 'SERVER_TOKEN_REQUIRED'
  /** The address could not be bound (in use, not permitted). */
  | 'SERVER_LISTEN_FAILED'
  /** `listen()` after `close()`, or twice. */
  | 'SERVER_STATE';

/** The one error class of @lunar/server; `code` tells the cases apart. */
export class LunarServerError extends Error {
  override readonly name = 'LunarServerError';
  readonly code: LunarServerErrorCode;

  constructor(code: LunarServerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
