import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HostStats } from '@lunar/ollama-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawUpstream } from './raw-upstream.js';

const servers: Server[] = [];
const urls: string[] = [];

beforeAll(async () => {
  for (const name of ['a', 'b']) {
    const server = createServer((request, response) => {
      const size = Number(new URL(request.url!, 'http://x').searchParams.get('size') ?? 0);
      response.writeHead(name === 'b' && size === 0 ? 418 : 200, { 'content-type': 'text/plain' });
      response.end(size > 0 ? 'x'.repeat(size) : name);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    urls.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  }
});

afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

const host = (url: string, down = false): HostStats => ({
  url,
  requests: 0,
  failures: 0,
  connected: 0,
  running: 0,
  down,
});
const signal = () => new AbortController().signal;

describe('RawUpstream', () => {
  it('takes the hosts in turn, skips one out of rotation, and relays status and body as they came', async () => {
    const both = new RawUpstream(() => [host(urls[0]!), host(urls[1]!)]);
    const first = await both.request('POST', '/', Buffer.from('{}'), signal());
    const second = await both.request('POST', '/', Buffer.from('{}'), signal());
    expect([first.body.toString(), second.body.toString()]).toEqual(['a', 'b']);
    expect(second.status).toBe(418);
    expect(second.contentType).toBe('text/plain');
    const skipping = new RawUpstream(() => [host(urls[0]!, true), host(urls[1]!)]);
    for (let i = 0; i < 3; i++)
      expect((await skipping.request('GET', '/', undefined, signal())).body.toString()).toBe('b');
  });

  it('refuses an answer past its byte limit', async () => {
    const small = new RawUpstream(() => [host(urls[0]!)], 1_000);
    expect((await small.request('GET', '/?size=1000', undefined, signal())).body.length).toBe(1_000);
    await expect(small.request('GET', '/?size=100000', undefined, signal())).rejects.toThrow(
      'the upstream answer exceeds 1000 bytes',
    );
  });
});
