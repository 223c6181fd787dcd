import { LLMCacheError } from '@lunar/llm-cache';
import { isOllamaError, type OllamaDeadline } from '@lunar/ollama-stream';
import { isOllamaProxyError } from './errors.js';

/** How the proxy answers a failure: a status and a text for the client. */
export interface ErrorAnswer {
  status: number;
  error: string;
}

/** What Ollama answers (503) when its queue is full; the proxy says the same past `maxInFlight`. */
export const BUSY_ERROR = 'server busy, please try again.  maximum pending requests exceeded';

const DEADLINES: Record<OllamaDeadline, string> = {
  headersMs: 'the first token',
  idleMs: 'the next chunk',
  totalMs: 'the whole answer',
};

/**
 * How the proxy answers a failure, Ollama-style. An error the host answered keeps its status and
 * exactly the `error` text Ollama sent; a host that answered an error without Ollama's
 * `{"error": ...}` body (a proxy's HTML page) keeps its status with a short text saying so. Failures
 * of the way to the host get fixed texts in Lunar's words, without addresses or library codes
 * (the detail goes to the log): 502 when no host can be reached or the answer broke off, 504 past
 * a deadline, 503 when the proxy is closing; anything unexpected is a generic 500.
 */
export function errorAnswer(error: unknown): ErrorAnswer {
  if (isOllamaError(error)) {
    switch (error.code) {
      case 'OLLAMA_HTTP_ERROR':
      case 'OLLAMA_MODEL_NOT_FOUND':
      case 'OLLAMA_BUSY': {
        const status = error.status ?? 502;
        return {
          status,
          error: error.ollamaMessage ?? `the Ollama host answered ${status} without an Ollama error message`,
        };
      }
      case 'OLLAMA_STREAM_ERROR':
        return {
          status: 500,
          error: error.ollamaMessage ?? 'the Ollama host reported an error in the middle of the answer',
        };
      case 'OLLAMA_TIMEOUT': {
        const what = error.deadline === undefined ? 'its answer' : DEADLINES[error.deadline];
        return { status: 504, error: `the Ollama host did not send ${what} in time` };
      }
      case 'OLLAMA_UNREACHABLE':
        return {
          status: 502,
          error: 'Lunar could not reach the Ollama host: check that Ollama is running where the proxy points',
        };
      case 'OLLAMA_ABORTED':
        return { status: 503, error: 'request canceled' };
      default:
        return {
          status: 502,
          error: "the Ollama host's answer broke off or was not Ollama's (the proxy's log has the detail)",
        };
    }
  }
  if (isOllamaProxyError(error, 'OLLAMA_PROXY_CLOSED')) return { status: 503, error: 'request canceled' };
  if (isOllamaProxyError(error, 'OLLAMA_PROXY_BAD_ANSWER')) {
    return {
      status: 502,
      error: "the Ollama host's answer broke off or was not Ollama's (the proxy's log has the detail)",
    };
  }
  if (error instanceof LLMCacheError) return { status: 400, error: error.message };
  return { status: 500, error: 'internal server error' };
}
