import type { IncomingMessage } from 'node:http';

/**
 * A request body as the proxy reads it: `whole` when it fits the parse limit (read into memory),
 * else `streamed`: what was read so far and the rest still in the socket, to be relayed as it
 * comes, never held whole.
 */
export type RequestBody =
  | { kind: 'whole'; bytes: Buffer }
  | { kind: 'streamed'; chunks: AsyncIterable<Uint8Array>; length: number | undefined };

function declaredLength(request: IncomingMessage): number | undefined {
  const header = request.headers['content-length'];
  if (header === undefined || !/^\d+$/.test(header)) return undefined;
  return Number(header);
}

/** The chunks already read, then the rest of the request as it arrives. */
async function* resumed(head: Buffer[], rest: AsyncIterator<Buffer>): AsyncGenerator<Uint8Array> {
  yield* head;
  head.length = 0;
  for (;;) {
    const { value, done } = await rest.next();
    if (done) return;
    yield value;
  }
}

/**
 * Reads a request's body up to `limit` bytes. A body whose `Content-Length` says it is larger is
 * not read at all; one without a length (chunked) is read until it passes the limit. Either way
 * the rest is left in the socket, read only as the relay sends it on (so its pace is the host's).
 * Rejects when the client goes away mid-body.
 */
export async function readRequestBody(request: IncomingMessage, limit: number): Promise<RequestBody> {
  const length = declaredLength(request);
  const iterator = (request as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  if (length !== undefined && length > limit)
    return { kind: 'streamed', chunks: resumed([], iterator), length };
  const head: Buffer[] = [];
  let size = 0;
  for (;;) {
    const { value, done } = await iterator.next();
    if (done) return { kind: 'whole', bytes: head.length === 1 ? head[0]! : Buffer.concat(head, size) };
    head.push(value);
    size += value.length;
    if (size > limit) return { kind: 'streamed', chunks: resumed(head, iterator), length };
  }
}
