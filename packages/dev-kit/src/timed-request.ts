import { Agent, request } from 'node:http';
import { median } from './statistics.js';

/** One request as {@link timedRequest} saw it. */
export interface TimedResponse {
  /** The status code, 0 when the request failed. */
  status: number;
  /** From sending the request to the first byte that holds `marker` (or the first byte), in ms. */
  firstMs: number;
  /** From sending the request to the end of the body, in ms. */
  totalMs: number;
  body: string;
  /** The `x-lunar-cache` header, when the server sent one. */
  cache?: string;
}

let agent: Agent | undefined;

/**
 * One HTTP request, timed on the client over kept-alive connections: `firstMs` stops when the body
 * so far holds `marker` (the first text of a turn, say), otherwise at its first byte. A string body
 * is sent as it is, anything else as JSON. A failure resolves with status 0.
 */
export function timedRequest(
  url: string,
  method: 'GET' | 'POST',
  body: unknown,
  marker?: string,
  headers: Record<string, string> = {},
): Promise<TimedResponse> {
  agent ??= new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve) => {
    const startedAt = performance.now();
    let firstMs = -1;
    let text = '';
    const failed = () => resolve({ status: 0, firstMs, totalMs: performance.now() - startedAt, body: text });
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
        response.on('error', failed);
      },
    );
    outgoing.on('error', failed);
    outgoing.end(payload);
  });
}

/** Closes the kept-alive connections of {@link timedRequest}, so that a bench can exit. */
export function closeTimedRequests(): void {
  agent?.destroy();
  agent = undefined;
}

/**
 * `count` requests to each base URL (a server called directly, the same through Lunar, ...),
 * interleaved one by one so that every side sees the same machine: the median of `pick` on each
 * side, in the order of `bases`.
 */
export async function sideBySide<const Bases extends readonly string[]>(
  count: number,
  call: (base: string, index: number) => Promise<TimedResponse>,
  bases: Bases,
  pick: (timed: TimedResponse) => number,
): Promise<{ [Side in keyof Bases]: number }> {
  const samples = bases.map((): number[] => []);
  for (let index = 0; index < count; index++) {
    for (const [side, base] of bases.entries()) samples[side]!.push(pick(await call(base, index)));
  }
  return samples.map((side) => median(side)) as { [Side in keyof Bases]: number };
}

/** Runs `task` for every index from 0 to `count - 1`, at most `concurrency` at once: the results in order. */
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
