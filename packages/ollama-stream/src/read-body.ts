import type { Dispatcher } from 'undici';
import { OllamaError } from './errors.js';

type Body = Dispatcher.ResponseData['body'];

/**
 * Read a whole response body as text, refusing more than `maxBytes`. Over the limit the body is
 * destroyed (closing the connection) and null is returned when `truncate` is set, else it throws.
 */
export async function readText(
  body: Body,
  maxBytes: number,
  host: string,
  truncate = false,
): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      if (truncate) {
        parts.push(chunk.subarray(0, chunk.length - (size - maxBytes)));
        body.destroy();
        break;
      }
      body.destroy();
      throw new OllamaError(
        'OLLAMA_PROTOCOL_ERROR',
        `Ollama at ${host} sent a response body larger than maxBodyBytes (${maxBytes} bytes)`,
        { host },
      );
    }
    parts.push(chunk);
  }
  return Buffer.concat(parts).toString('utf8');
}

/** Read and parse a JSON body; a malformed one is an OLLAMA_PROTOCOL_ERROR. */
export async function readJson(body: Body, maxBytes: number, host: string): Promise<unknown> {
  const text = await readText(body, maxBytes, host);
  try {
    return JSON.parse(text);
  } catch (error) {
    const start = text.length > 80 ? `${text.slice(0, 80)}...` : text;
    throw new OllamaError(
      'OLLAMA_PROTOCOL_ERROR',
      `Ollama at ${host} sent a body that is not JSON, starting with ${JSON.stringify(start)}`,
      { cause: error, host },
    );
  }
}
