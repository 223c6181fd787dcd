import { OllamaProxyError } from '../errors.js';

/** Largest SSE event accepted from the host, in bytes: Ollama's chunks are a few hundred. */
export const MAX_EVENT_BYTES = 16 * 1024 * 1024;

/**
 * The `data:` payloads of an SSE body (`data: <payload>` lines, events split by a blank line), in
 * order, as they arrive: safe across chunk boundaries and multi-byte UTF-8; `event:`, `id:` and
 * comment lines are skipped. An event past `MAX_EVENT_BYTES` is refused (OLLAMA_PROXY_BAD_ANSWER).
 */
export async function* sseEvents(body: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  const take = function* (final: boolean): Generator<string> {
    for (;;) {
      const match = /\r?\n\r?\n/.exec(buffer);
      if (match === null) break;
      const frame = buffer.slice(0, match.index);
      buffer = buffer.slice(match.index + match[0].length);
      const data = frame
        .split(/\r?\n/)
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(line.startsWith('data: ') ? 6 : 5));
      if (data.length > 0) yield data.join('\n');
    }
    if (final && buffer.trim() !== '') {
      const data = buffer.split(/\r?\n/).filter((line) => line.startsWith('data:'));
      buffer = '';
      if (data.length > 0) yield data.map((line) => line.slice(line.startsWith('data: ') ? 6 : 5)).join('\n');
    }
  };
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    yield* take(false);
    if (buffer.length > MAX_EVENT_BYTES) {
      throw new OllamaProxyError(
        'OLLAMA_PROXY_BAD_ANSWER',
        `the host sent an SSE event larger than ${MAX_EVENT_BYTES} bytes`,
      );
    }
  }
  buffer += decoder.decode();
  yield* take(true);
}
