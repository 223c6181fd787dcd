/** Every failure this package reports has one of these codes. Branch on `error.code`. */
export type OllamaErrorCode =
  /** No connection could be made (refused, reset or closed before any response byte), after retries. */
  | 'OLLAMA_UNREACHABLE'
  /** 404 for a model: `model` names it, `pullCommand` is the command that fetches it onto the host. */
  | 'OLLAMA_MODEL_NOT_FOUND'
  /** 503: Ollama's queue is full (`OLLAMA_MAX_QUEUE`). */
  | 'OLLAMA_BUSY'
  /** Any other non-2xx status; `status` and Ollama's `error` text are on the error. */
  | 'OLLAMA_HTTP_ERROR'
  /** Ollama wrote an `{"error": ...}` line in the middle of a stream. */
  | 'OLLAMA_STREAM_ERROR'
  /** A malformed or oversized line or body, a wrong shape, or a stream that ended without `done`. */
  | 'OLLAMA_PROTOCOL_ERROR'
  /** One of Lunar's deadlines passed; `deadline` says which, `timeoutMs` its value. */
  | 'OLLAMA_TIMEOUT'
  /** The caller aborted: a signal, `stream.abort()`, or `client.close()`. */
  | 'OLLAMA_ABORTED';

/** Which of `timeouts` expired (a probe's `timeoutMs` reports as `totalMs`). */
export type OllamaDeadline = 'headersMs' | 'idleMs' | 'totalMs';

export interface OllamaErrorDetails {
  cause?: unknown;
  /** HTTP status, when Ollama answered with one. */
  status?: number;
  /** Base URL of the Ollama host concerned. */
  host?: string;
  /** Model named in the request, when known. */
  model?: string;
  /** For `OLLAMA_TIMEOUT`: the deadline that passed. */
  deadline?: OllamaDeadline;
  /** For `OLLAMA_TIMEOUT`: the deadline's value, in ms. */
  timeoutMs?: number;
  /** For `OLLAMA_MODEL_NOT_FOUND`: the command that fetches the model, run where Ollama runs (`ollama pull llama3.2:3b`). */
  pullCommand?: string;
  /** For NDJSON errors: the 1-based line number in the stream. */
  line?: number;
  /** Exactly the `error` string Ollama sent (an HTTP error body or an `{"error"}` line). */
  ollamaMessage?: string;
}

/**
 * The one error class of @lunar/ollama-stream: `new OllamaError(code, message, { cause, ...fields })`.
 * `code` tells the cases apart; the fields a caller needs (status, host, model, deadline...) are
 * typed properties, never to be read back out of `message`.
 */
export class OllamaError extends Error {
  override readonly name = 'OllamaError';
  readonly code: OllamaErrorCode;
  readonly status: number | undefined;
  readonly host: string | undefined;
  readonly model: string | undefined;
  readonly deadline: OllamaDeadline | undefined;
  readonly timeoutMs: number | undefined;
  readonly pullCommand: string | undefined;
  readonly line: number | undefined;
  /**
   * Exactly the `error` string Ollama sent, for HTTP errors (`{"error": ...}` bodies) and for
   * `{"error": ...}` lines mid-stream; undefined when Ollama sent no such string (a proxy's HTML page).
   */
  readonly ollamaMessage: string | undefined;

  constructor(code: OllamaErrorCode, message: string, details: OllamaErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.status = details.status;
    this.host = details.host;
    this.model = details.model;
    this.deadline = details.deadline;
    this.timeoutMs = details.timeoutMs;
    this.pullCommand = details.pullCommand;
    this.line = details.line;
    this.ollamaMessage = details.ollamaMessage;
  }
}

/** True when `value` is an OllamaError (of the given code, when one is passed). */
export function isOllamaError(value: unknown, code?: OllamaErrorCode): value is OllamaError {
  return value instanceof OllamaError && (code === undefined || value.code === code);
}
