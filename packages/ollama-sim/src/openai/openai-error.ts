/**
 * Errors as Ollama's OpenAI layer writes them (openai.NewError, middleware `writeError`):
 * `{"error":{"message","type","param":null,"code":null}}` with a newline (Go's json.Encoder),
 * `Content-Type: application/json`; the type follows the status.
 */
import type { ServerResponse } from 'node:http';
import { goJson } from '../go-json.js';

export const OPENAI_JSON = 'application/json';

export function openAIErrorBody(status: number, message: string): string {
  const type = status === 400 ? 'invalid_request_error' : status === 404 ? 'not_found_error' : 'api_error';
  return `${goJson({ error: { message, type, param: null, code: null } })}\n`;
}

/** Sends an error before any byte of the answer. */
export function sendOpenAIError(response: ServerResponse, status: number, message: string): void {
  if (response.headersSent || response.destroyed) return;
  const body = openAIErrorBody(status, message);
  response.writeHead(status, { 'Content-Type': OPENAI_JSON, 'Content-Length': Buffer.byteLength(body) });
  response.end(body);
}
