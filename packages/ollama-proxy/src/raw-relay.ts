import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { goJson, type RawRequest, type RawResponse } from '@lunar/ollama-stream';
import type { ProxyContext } from './context.js';
import { errorAnswer } from './error-answer.js';
import type { InFlight } from './in-flight.js';
import type { ResponseStream } from './response-stream.js';

/** Request headers passed on to the host: what Ollama reads. Credentials and `Origin` stay here. */
const FORWARDED = ['content-type', 'content-encoding', 'accept', 'user-agent'] as const;

/**
 * Response headers not relayed: hop-by-hop ones (this connection's, not the answer's), the ones
 * Node sets itself, and CORS ones (the proxy answers CORS itself).
 */
const NOT_RELAYED = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'proxy-connection',
  'proxy-authenticate',
  'date',
  'vary',
]);

/** The client's headers the host gets. */
export function forwardedHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const forwarded: Record<string, string> = {};
  for (const name of FORWARDED) {
    const value = headers[name];
    if (typeof value === 'string') forwarded[name] = value;
  }
  return forwarded;
}

/** The host's answer headers, as they came but for the ones above; `x-lunar-cache: bypass` added. */
function relayedHeaders(response: RawResponse): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (!NOT_RELAYED.has(name) && !name.startsWith('access-control-')) headers[name] = value;
  }
  headers['x-lunar-cache'] = 'bypass';
  return headers;
}

/** An NDJSON stream without a length: one more line can say why it ended. */
function isOpenNdjson(response: RawResponse): boolean {
  const type = response.headers['content-type'];
  return (
    typeof type === 'string' &&
    type.startsWith('application/x-ndjson') &&
    response.headers['content-length'] === undefined
  );
}

/**
 * Sends a request the cache does not answer over the client's pool (balanced hosts, retries before
 * the first byte, skipped hosts), and relays the host's status, headers and body untouched, chunk
 * by chunk as they arrive: each write waits for the socket, and the client's pool stops reading the
 * host while it waits. A client that leaves aborts the host's request (its socket is closed, so
 * Ollama stops). An answer cut short mid-stream ends with an `{"error": ...}` line when it is open
 * NDJSON (as Ollama ends a failed stream), else the connection is closed before its end.
 */
export async function relay(
  context: ProxyContext,
  inFlight: InFlight,
  out: ResponseStream,
  request: RawRequest,
  route: string,
): Promise<void> {
  const controller = inFlight.enter(out.signal);
  let response: RawResponse | undefined;
  let pending: Promise<RawResponse>;
  try {
    pending = context.client.request(request, { signal: controller.signal });
  } catch (error) {
    inFlight.leave(controller);
    // A request the client will not send (a path with a `..` segment, a second scheme): Ollama
    // knows no such route.
    if (!(error instanceof TypeError)) throw error;
    out.start(404, { 'content-type': 'text/plain', 'x-lunar-cache': 'bypass' });
    out.end('404 page not found');
    return;
  }
  try {
    response = await pending;
    out.start(response.status, relayedHeaders(response));
    for await (const chunk of response.body) {
      // Leaving the loop cancels the body: the host's request is aborted.
      if (!(await out.write(chunk))) break;
    }
    out.end();
  } catch (error) {
    const answer = errorAnswer(error);
    // An abort (the client left, or close()) is no failure of the host.
    if (answer.status >= 500 && !controller.signal.aborted) {
      context.logger?.warn({ err: error, status: answer.status, route }, 'relayed call failed');
    }
    if (!out.started) {
      out.json(answer.status, { error: answer.error }, { 'x-lunar-cache': 'bypass' });
    } else if (response !== undefined && isOpenNdjson(response)) {
      await out.write(`${goJson({ error: answer.error })}\n`);
      out.end();
    } else {
      out.destroy();
    }
  } finally {
    inFlight.leave(controller);
  }
}
