/**
 * Every failure lunar-server reports has one of these codes: thrown as a `LunarServerError`, or sent
 * as the `code` of an error answer on the server's own routes (`{"error": "...", "code": "..."}`).
 * Branch on `error.code`, or with `isLunarServerError(value, code)`.
 */
export type LunarServerErrorCode =
  /** Asked to listen on a non-loopback address without a token. */
  | 'SERVER_TOKEN_REQUIRED'
  /** The address could not be bound (in use, not permitted). */
  | 'SERVER_LISTEN_FAILED'
  /** `listen()` after `close()`, or twice. */
  | 'SERVER_STATE'
  /** The server is shutting down: the reason requests still running past the grace period end with. */
  | 'SERVER_SHUTTING_DOWN'
  /** A request body, query string or parameter that is not what the route takes (400). */
  | 'SERVER_INVALID_REQUEST'
  /** A request body past a limit: its size (413) or its JSON nesting (400). */
  | 'SERVER_BODY_TOO_LARGE'
  /** A request body in a format the route does not read (415). */
  | 'SERVER_UNSUPPORTED_MEDIA_TYPE'
  /** No bearer token, or the wrong one (401). */
  | 'SERVER_UNAUTHORIZED'
  /** A `Host` header naming another machine, on a loopback server without a token (403). */
  | 'SERVER_HOST_REFUSED'
  /** Nothing under that id (404). */
  | 'SERVER_NOT_FOUND'
  /** Too many turns at once (503 with `Retry-After`). */
  | 'SERVER_BUSY'
  /** A failure of the server itself; the log has the detail (500). */
  | 'SERVER_INTERNAL';

/** The one error class of @lunar/server; `code` tells the cases apart. */
export class LunarServerError extends Error {
  override readonly name = 'LunarServerError';
  readonly code: LunarServerErrorCode;

  constructor(code: LunarServerErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/** True when `value` is a LunarServerError (of the given code, when one is passed). */
export function isLunarServerError(value: unknown, code?: LunarServerErrorCode): value is LunarServerError {
  return value instanceof LunarServerError && (code === undefined || value.code === code);
}

/** The body of an error answer on the server's own routes. */
export interface ErrorBody {
  error: string;
  code: LunarServerErrorCode;
}

export function errorBody(code: LunarServerErrorCode, message: string): ErrorBody {
  return { error: message, code };
}
