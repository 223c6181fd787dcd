import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './free-port.js';
import { closeTimedRequests, pool, sideBySide, timedRequest } from './timed-request.js';

let server: Server;
let url = '';
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      seen.push(`${request.method} ${request.url} ${request.headers['content-type'] ?? '-'} ${body}`);
      response.writeHead(200, { 'x-lunar-cache': 'hit' });
      response.write('first ');
      response.end('second');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  closeTimedRequests();
  await new Promise((resolve) => server.close(resolve));
});

describe('timedRequest', () => {
  it('sends a JSON body, reads the whole answer and its cache header, and times the marker', async () => {
    const timed = await timedRequest(`${url}/a`, 'POST', { n: 1 }, 'second');
    expect(timed).toMatchObject({ status: 200, body: 'first second', cache: 'hit' });
    expect(seen.at(-1)).toBe('POST /a application/json {"n":1}');
    expect(timed.firstMs).toBeGreaterThan(0);
    expect(timed.firstMs).toBeLessThanOrEqual(timed.totalMs);
  });

  it('resolves with status 0 when nothing answers', async () => {
    const timed = await timedRequest(`http://127.0.0.1:${await freePort()}/`, 'GET', undefined);
    expect(timed).toMatchObject({ status: 0, body: '' });
  });
});

describe('sideBySide', () => {
  it('alternates between the two bases, one call at a time', async () => {
    const order: string[] = [];
    const [left, right] = await sideBySide(
      3,
      async (base, index) => {
        order.push(`${base}${index}`);
        return { status: 200, firstMs: base === 'a' ? 1 : 2, totalMs: index, body: '' };
      },
      ['a', 'b'],
      (timed) => timed.firstMs,
    );
    expect(order).toEqual(['a0', 'b0', 'a1', 'b1', 'a2', 'b2']);
    expect([left, right]).toEqual([1, 2]);
  });

  it('takes any number of bases, and gives their medians in their order', async () => {
    const firstMs = { a: [5, 1, 3], b: [10, 30, 20], c: [7, 7, 9] };
    const medians = await sideBySide(
      3,
      async (base, index) => {
        const ms = firstMs[base as keyof typeof firstMs][index]!;
        return { status: 200, firstMs: ms, totalMs: ms, body: '' };
      },
      ['a', 'b', 'c'],
      (timed) => timed.firstMs,
    );
    expect(medians).toEqual([3, 20, 7]);
  });
});

describe('pool', () => {
  it('runs every index, at most `concurrency` at once, and keeps the order of the results', async () => {
    let running = 0;
    let most = 0;
    const results = await pool(10, 3, async (index) => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setImmediate(resolve));
      running--;
      return index * 2;
    });
    expect(results).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect(most).toBe(3);
  });
});
