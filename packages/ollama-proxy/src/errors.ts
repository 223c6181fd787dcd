/** Every failure @lunar/ollama-proxy reports has one of these codes. Branch on `error.code`. */
export type OllamaProxyErrorCode =
  /**
   * The client went away before its answer ended: the reason the host's request is closed with
   * (Ollama stops generating when its connection closes).
   */
  | 'OLLAMA_PROXY_CLIENT_GONE'
  /** `close()` or `abortAll()` ended the call: the reason its host request is closed with. */
  | 'OLLAMA_PROXY_CLOSED'
  /**
   * A call to the host failed: what the logger hears, with the host's error as `cause`; on a cached
   * OpenAI-compatible route, the host's own error answer (`answer`), relayed to every caller.
   */
  | 'OLLAMA_PROXY_HOST_FAILED'
  /** The host's answer on an OpenAI-compatible route was not what Ollama sends (bad SSE or JSON). */
  | 'OLLAMA_PROXY_BAD_ANSWER';

/** What a host answered instead of a success, kept to be relayed as it came. */
export interface HostAnswer {
  status: number;
  contentType: string | undefined;
  body: string;
}

export interface OllamaProxyErrorDetails {
  cause?: unknown;
  /** For `OLLAMA_PROXY_HOST_FAILED` on a cached OpenAI-compatible route: the host's own answer. */
  answer?: HostAnswer;
  /** The route (method and path) of the call concerned. */
  route?: string;
  /** The HTTP status the client was answered with, when one was. */
  status?: number;
}

/** The one error class of @lunar/ollama-proxy; `code` tells the cases apart. */
export class OllamaProxyError extends Error {
  override readonly name = 'OllamaProxyError';
  readonly code: OllamaProxyErrorCode;
  readonly route: string | undefined;
  readonly status: number | undefined;
  readonly answer: HostAnswer | undefined;

  constructor(code: OllamaProxyErrorCode, message: string, details: OllamaProxyErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.route = details.route;
    this.status = details.status;
    this.answer = details.answer;
  }
}

/** True when `value` is an OllamaProxyError (of the given code, when one is passed). */
export function isOllamaProxyError(value: unknown, code?: OllamaProxyErrorCode): value is OllamaProxyError {
  return value instanceof OllamaProxyError && (code === undefined || value.code === code);
}
