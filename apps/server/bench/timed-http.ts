import { Agent, request } from 'node:http';

/** Keep-alive connections, as many as the bench opens at once. */
export const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });

export interface Timed {
  /** Status code, 0 when the request failed. */
  status: number;
  /** From sending the request to the first byte that holds `marker` (or the first byte), in ms. */
  firstMs: number;
  /** From sending the request to the end of the body, in ms. */
  totalMs: number;
  body: string;
  /** The `x-lunar-cache` header, when the server sent one. */
  cache?: string;
}

/**
 * One request, timed on the client: `firstMs` stops when the body so far contains `marker`
 * (the first text of a turn, the first content of a chat), otherwise at the first byte.
 */
export function timedRequest(
  url: string,
  method: 'GET' | 'POST',
  body: unknown,
  marker?: string,
  headers: Record<string, string> = {},
): Promise<Timed> {
  // A string is sent as it is (a body that is not plain JSON); anything else as JSON.
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve) => {
    const startedAt = performance.now();
    let firstMs = -1;
    let text = '';
    const outgoing = request(
      url,
      {
        method,
        agent,
        headers: {
          ...headers,
          ...(payload === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
        },
      },
      (response) => {
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
          if (firstMs < 0 && (marker === undefined || text.includes(marker)))
            firstMs = performance.now() - startedAt;
        });
        response.on('end', () => {
          const totalMs = performance.now() - startedAt;
          const cache = response.headers['x-lunar-cache'];
          resolve({
            status: response.statusCode ?? 0,
            firstMs: firstMs < 0 ? totalMs : firstMs,
            totalMs,
            body: text,
            ...(typeof cache === 'string' ? { cache } : {}),
          });
        });
        response.on('error', () =>
          resolve({ status: 0, firstMs, totalMs: performance.now() - startedAt, body: text }),
        );
      },
    );
    outgoing.on('error', () =>
      resolve({ status: 0, firstMs: -1, totalMs: performance.now() - startedAt, body: '' }),
    );
    outgoing.end(payload);
  });
}

/** Runs `task` for every index with at most `concurrency` at once. */
export async function pool<T>(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

/** The value below which `p` percent of `values` fall (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
