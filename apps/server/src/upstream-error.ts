import { LLMCacheError } from '@lunar/llm-cache';
import { isOllamaError, type OllamaError } from '@lunar/ollama-stream';

/** A non-2xx answer of an upstream reached without the typed client: relayed as it came. */
export class RawUpstreamError extends Error {
  override readonly name = 'RawUpstreamError';
  readonly status: number;
  readonly body: Buffer;
  readonly contentType: string;

  constructor(status: number, body: Buffer, contentType: string) {
    super(`upstream answered ${status}`);
    this.status = status;
    this.body = body;
    this.contentType = contentType;
  }
}

/** The upstream's own `error` text, recovered from the OllamaError's message. */
const UPSTREAM_TEXT: Partial<Record<OllamaError['code'], RegExp>> = {
  OLLAMA_HTTP_ERROR: / answered \d{3}: ([\s\S]*)$/,
  OLLAMA_MODEL_NOT_FOUND: /\(Ollama said: ([\s\S]*)\)$/,
  OLLAMA_BUSY: / is busy \(503\): ([\s\S]*)$/,
  OLLAMA_STREAM_ERROR: / failed mid-stream: ([\s\S]*)$/,
};

export function upstreamText(error: OllamaError): string {
  const pattern = UPSTREAM_TEXT[error.code];
  return pattern?.exec(error.message)?.[1] ?? error.message;
}

export interface ErrorAnswer {
  status: number;
  error: string;
}

/**
 * How the proxy answers a failure, Ollama-style: an upstream HTTP error keeps its status and
 * text; no connection is 502; a deadline 504; anything else a generic 500 (details go to the log).
 */
export function errorAnswer(error: unknown): ErrorAnswer {
  if (isOllamaError(error)) {
    switch (error.code) {
      case 'OLLAMA_HTTP_ERROR':
      case 'OLLAMA_MODEL_NOT_FOUND':
      case 'OLLAMA_BUSY':
        return { status: error.status ?? 502, error: upstreamText(error) };
      case 'OLLAMA_STREAM_ERROR':
        return { status: 500, error: upstreamText(error) };
      case 'OLLAMA_TIMEOUT':
        return { status: 504, error: error.message };
      case 'OLLAMA_ABORTED':
        return { status: 503, error: 'request canceled' };
      default:
        return { status: 502, error: error.message };
    }
  }
  if (error instanceof LLMCacheError) return { status: 400, error: error.message };
  return { status: 500, error: 'internal server error' };
}
