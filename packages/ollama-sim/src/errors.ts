/** Errors of @lunar/ollama-sim: one class, a typed code, a guard. */

/** What went wrong, stable for callers to branch on. */
export type OllamaSimErrorCode =
  /** `startOllamaSim` could not listen on the host and port (`cause`: the system error). */
  | 'OLLAMA_SIM_LISTEN'
  /** The simulator closed while the work was running (the reason a request's work stopped). */
  | 'OLLAMA_SIM_CLOSED'
  /** The client closed the connection before the answer was complete. */
  | 'OLLAMA_SIM_CLIENT_GONE'
  /** A request answered with an HTTP error status and `{"error": message}` (see `status`). */
  | 'OLLAMA_SIM_HTTP';

export interface OllamaSimErrorFields {
  cause?: unknown;
  /** The HTTP status the request is answered with (`OLLAMA_SIM_HTTP`). */
  status?: number;
  /** The host and port the simulator tried to listen on (`OLLAMA_SIM_LISTEN`). */
  host?: string;
  port?: number;
}

export class OllamaSimError extends Error {
  override name = 'OllamaSimError';
  readonly code: OllamaSimErrorCode;
  readonly status: number | undefined;
  readonly host: string | undefined;
  readonly port: number | undefined;

  constructor(code: OllamaSimErrorCode, message: string, fields: OllamaSimErrorFields = {}) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.code = code;
    this.status = fields.status;
    this.host = fields.host;
    this.port = fields.port;
  }
}

/** True when `value` is an OllamaSimError (with `code`, when given). */
export function isOllamaSimError(value: unknown, code?: OllamaSimErrorCode): value is OllamaSimError {
  return value instanceof OllamaSimError && (code === undefined || value.code === code);
}

/** A request answered with an HTTP status and `{"error": message}` (internal to the routes). */
export function httpError(
  status: number,
  message: string,
  options: { cause?: unknown } = {},
): OllamaSimError {
  return new OllamaSimError('OLLAMA_SIM_HTTP', message, { status, ...options });
}
