import { Agent, request } from 'node:http';

/** Keep-alive connections, as many as the bench opens at once. */
export const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });

export interface Timed {
  status: number;
  /** To the first byte of the body, in ms. */
  firstMs: number;
  /** To the end of the body, in ms. */
  totalMs: number;
  cache: string | undefined;
}

/** One POST of `body`, timed on the client. */
export function timedPost(url: string, body: string): Promise<Timed> {
  return timed(url, body);
}

/** One GET, timed on the client. */
export function timedGet(url: string): Promise<Timed> {
  return timed(url, undefined);
}

function timed(url: string, body: string | undefined): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    let firstMs = -1;
    const headers =
      body === undefined
        ? {}
        : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
    const outgoing = request(
      url,
      { method: body === undefined ? 'GET' : 'POST', agent, headers },
      (response) => {
        response.on('data', () => {
          if (firstMs < 0) firstMs = performance.now() - startedAt;
        });
        response.on('end', () => {
          const totalMs = performance.now() - startedAt;
          const cache = response.headers['x-lunar-cache'];
          resolve({
            status: response.statusCode ?? 0,
            firstMs,
            totalMs,
            cache: typeof cache === 'string' ? cache : undefined,
          });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
