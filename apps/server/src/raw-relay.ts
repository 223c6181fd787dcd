import type { OutgoingHttpHeaders } from 'node:http';
import type { RawRequest, RawResponse } from '@lunar/ollama-stream';
import type { FastifyBaseLogger } from 'fastify';
import type { ServerContext } from './context.js';
import { goJson } from './go-json.js';
import type { ResponseStream } from './response-stream.js';
import { errorAnswer } from './upstream-error.js';

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The relayed answer's headers: the upstream's content type and length, as they came. */
function relayedHeaders(response: RawResponse): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = { 'x-lunar-cache': 'bypass' };
  const type = single(response.headers['content-type']);
  const length = single(response.headers['content-length']);
  if (type !== undefined) headers['content-type'] = type;
  if (length !== undefined) headers['content-length'] = length;
  return headers;
}

/**
 * Sends a request the typed client or the cache cannot take (a body the cache cannot key) over the
 * client's pool (balanced hosts, retries before the first byte, skipped hosts), and relays the
 * upstream's status, content type and body untouched, chunk by chunk as they arrive: each write
 * waits for the socket, and the client's pool stops reading the upstream while it waits. A client
 * that leaves aborts the upstream request (its socket is closed, so Ollama stops generating).
 */
export async function rawCall(
  context: ServerContext,
  out: ResponseStream,
  request: RawRequest,
  log: FastifyBaseLogger,
): Promise<void> {
  const controller = context.proxied.enter(out.signal);
  let response: RawResponse | undefined;
  try {
    response = await context.client.request(request, { signal: controller.signal });
    out.start(response.status, relayedHeaders(response));
    for await (const chunk of response.body) {
      // Leaving the loop cancels the body: the upstream request is aborted.
      if (!(await out.write(chunk))) break;
    }
    out.end();
  } catch (error) {
    const answer = errorAnswer(error);
    if (!out.started) {
      if (answer.error === 'internal server error') log.error({ err: error }, 'relayed call failed');
      out.json(answer.status, { error: answer.error }, { 'x-lunar-cache': 'bypass' });
    } else if (response !== undefined && isOpenNdjson(response)) {
      // Cut short mid-stream: one `{"error": ...}` line, as Ollama ends a failed stream.
      await out.write(`${goJson({ error: answer.error })}\n`);
      out.end();
    } else {
      out.destroy();
    }
  } finally {
    context.proxied.leave(controller);
  }
}

/** An NDJSON stream without a length: one more line can say why it ended. */
function isOpenNdjson(response: RawResponse): boolean {
  const type = single(response.headers['content-type']) ?? '';
  return type.startsWith('application/x-ndjson') && response.headers['content-length'] === undefined;
}
