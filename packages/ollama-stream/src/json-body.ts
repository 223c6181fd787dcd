import { OllamaError } from './errors.js';

/** Parse a response body as JSON, or throw an OLLAMA_PROTOCOL_ERROR quoting its start. */
export function parseJsonBody(text: string, host: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const start = text.length > 80 ? `${text.slice(0, 80)}...` : text;
    const message = `Ollama at ${host} sent a body that is not JSON, starting with ${JSON.stringify(start)}`;
    throw new OllamaError('OLLAMA_PROTOCOL_ERROR', message, { cause: error, host });
  }
}
