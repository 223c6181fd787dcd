/** Errors of @lunar/ollama-sim. Each has a stable `code` a caller can branch on. */
export class OllamaSimError extends Error {
  override name = 'OllamaSimError';
  readonly code: string;

  constructor(message: string, code: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** A request the simulator answers with an HTTP status and `{"error": message}` (internal). */
export class HttpError extends OllamaSimError {
  override name = 'HttpError';
  readonly status: number;

  constructor(status: number, message: string, options?: { cause?: unknown }) {
    super(message, 'ERR_SIM_HTTP', options);
    this.status = status;
  }
}
