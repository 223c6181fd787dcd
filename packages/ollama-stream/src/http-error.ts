import { OllamaError } from './errors.js';

/** How much of an error body is read: Ollama's are one short JSON object. */
export const ERROR_BODY_BYTES = 64 * 1024;

/** The `error` string of an `{"error": ...}` body, or undefined when the body is not one. */
function ollamaText(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: unknown } | null;
    if (typeof parsed?.error === 'string') return parsed.error;
  } catch {
    // Not JSON (a proxy's page, an old server's text).
  }
  return undefined;
}

/** `name` as one shell word: as it is when it is a plain model name, else in single quotes. */
function shellWord(name: string): string {
  return /^[\w.:/@+-]+$/.test(name) ? name : `'${name.replaceAll("'", `'\\''`)}'`;
}

/** Turn a non-2xx response into an OllamaError: model not found (404), busy (503) or HTTP error. */
export function httpError(
  statusCode: number,
  body: string,
  host: string,
  model: string | undefined,
): OllamaError {
  const ollamaMessage = ollamaText(body);
  const text = ollamaMessage ?? body.trim().slice(0, 500);
  const details = { status: statusCode, host, model, ollamaMessage };
  if (statusCode === 404 && model !== undefined && /model\b.*\bnot found/i.test(text)) {
    const pullCommand = `ollama pull ${shellWord(model)}`;
    return new OllamaError(
      'OLLAMA_MODEL_NOT_FOUND',
      `Model ${JSON.stringify(model)} is not on Ollama at ${host}: pull it there with \`${pullCommand}\` (Ollama said: ${text})`,
      { ...details, pullCommand },
    );
  }
  if (statusCode === 503) {
    const message = `Ollama at ${host} is busy (503): ${text}. Try again later; OLLAMA_MAX_QUEUE where Ollama runs sets how many calls it queues`;
    return new OllamaError('OLLAMA_BUSY', message, details);
  }
  return new OllamaError('OLLAMA_HTTP_ERROR', `Ollama at ${host} answered ${statusCode}: ${text}`, details);
}
