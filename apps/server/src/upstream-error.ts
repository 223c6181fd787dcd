import { LLMCacheError } from '@lunar/llm-cache';
import { isOllamaError } from '@lunar/ollama-stream';

export interface ErrorAnswer {
  status: number;
  error: string;
}

/**
 * How the proxy answers a failure, Ollama-style: an upstream HTTP error keeps its status and
 * Ollama's own `error` text (`ollamaMessage`); no connection is 502; a deadline 504 (their texts
 * without the upstream addresses, which go to the log); anything else a generic 500. An upstream that answered an error without Ollama's
 * `{"error": ...}` body (a proxy's HTML page) keeps its status with a short text saying so: its
 * page is not relayed.
 */
/** The client's message without the upstream addresses (those go to the log, not to the caller). */
function withoutAddresses(message: string): string {
  return message.replace(/\bhttps?:\/\/[^\s,;)]+/g, 'the upstream');
}

export function errorAnswer(error: unknown): ErrorAnswer {
  if (isOllamaError(error)) {
    switch (error.code) {
      case 'OLLAMA_HTTP_ERROR':
      case 'OLLAMA_MODEL_NOT_FOUND':
      case 'OLLAMA_BUSY': {
        const status = error.status ?? 502;
        return {
          status,
          error: error.ollamaMessage ?? `the upstream answered ${status} without an Ollama error message`,
        };
      }
      case 'OLLAMA_STREAM_ERROR':
        return { status: 500, error: error.ollamaMessage ?? withoutAddresses(error.message) };
      case 'OLLAMA_TIMEOUT':
        return { status: 504, error: withoutAddresses(error.message) };
      case 'OLLAMA_ABORTED':
        return { status: 503, error: 'request canceled' };
      default:
        return { status: 502, error: withoutAddresses(error.message) };
    }
  }
  if (error instanceof LLMCacheError) return { status: 400, error: error.message };
  return { status: 500, error: 'internal server error' };
}
