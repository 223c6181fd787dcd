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
async function* resumed(head: Buffer[], request: IncomingMessage): AsyncGenerator<Uint8Array> {
  yield* head;
  head.length = 0;
  yield* request as AsyncIterable<Buffer>;
}

/**
 * Reads a request's body up to `limit` bytes. A body whose `Content-Length` says it is larger is
 * not read at all; one without a length (chunked) is read until it passes the limit. Either way
 * the rest is left in the socket, read only as the relay sends it on (so its pace is the host's).
 * Rejects when the client goes away mid-body.
 */
export function readRequestBody(request: IncomingMessage, limit: number): Promise<RequestBody> {
  const length = declaredLength(request);
  if (length !== undefined && length > limit) {
    return Promise.resolve({ kind: 'streamed', chunks: resumed([], request), length });
  }
  return new Promise((resolve, reject) => {
    const head: Buffer[] = [];
    let size = 0;
    const done = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('aborted', onAborted);
    };
    const onData = (chunk: Buffer) => {
      head.push(chunk);
      size += chunk.length;
      if (size <= limit) return;
      done();
      request.pause();
      resolve({ kind: 'streamed', chunks: resumed(head, request), length });
    };
    const onEnd = () => {
      done();
      resolve({ kind: 'whole', bytes: head.length === 1 ? head[0]! : Buffer.concat(head, size) });
    };
    const onError = (error: Error) => {
      done();
      reject(error);
    };
    const onAborted = () => onError(new Error('the client closed the connection mid-body'));
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('aborted', onAborted);
  });
}
