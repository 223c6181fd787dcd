import { waitFor } from '@lunar/dev-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { failure, fixtures, freePort, user } from './helpers.js';

const { sim, client, closeAll } = fixtures();

afterEach(closeAll);

const chat = { model: 'llama3.2:3b', messages: user('hello'), stream: false as const };

/** No call for `ms`: the idle gap the test is about, not a wait for a condition. */
const idle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('connection pooling', () => {
  it('keeps one connection across an idle gap longer than 4 s (undici would have closed it)', async () => {
    const ollama = await sim();
    const lunar = client({ host: ollama.url });
    await lunar.chat(chat);
    expect(ollama.stats().connectionsOpened).toBe(1);
    await idle(4_500);
    await lunar.chat(chat);
    expect(ollama.stats().connectionsOpened).toBe(1);
    expect(lunar.hosts()[0]!.connected).toBe(1);
  }, 20_000);

  it('reuses connections: 50 back-to-back calls, at most two connections', async () => {
    const ollama = await sim();
    const lunar = client({ host: ollama.url });
    // undici marks a connection free a microtask after its body ends, so a call made at once
    // may take a second one; after that the two are reused.
    for (let i = 0; i < 50; i++) await lunar.version();
    expect(ollama.stats().connectionsOpened).toBeLessThanOrEqual(2);
  });

  it('opens at most `connections` per host', async () => {
    const ollama = await sim(0, { parallel: 8 });
    const lunar = client({ host: ollama.url, connections: 3 });
    await Promise.all(Array.from({ length: 12 }, () => lunar.chat(chat)));
    expect(ollama.stats().connectionsOpened).toBe(3);
  });
});

describe('several hosts', () => {
  it('balances over the hosts that answer and skips the one that refuses connections', async () => {
    const [first, second] = [await sim(), await sim()];
    const deadPort = await freePort();
    const dead = `http://127.0.0.1:${deadPort}`;
    const lunar = client({ hosts: [first.url, dead, second.url] });
    for (let i = 0; i < 30; i++) expect((await lunar.chat(chat)).done).toBe(true);
    const [a, down, b] = lunar.hosts();
    expect(down).toMatchObject({ url: dead, down: true });
    expect(down!.failures).toBe(down!.requests);
    expect(down!.requests).toBeLessThanOrEqual(2);
    expect(a!.requests + b!.requests).toBe(30);
    expect(a!.requests).toBeGreaterThan(5);
    expect(b!.requests).toBeGreaterThan(5);
    expect(first.stats().requests['/api/chat']).toBe(a!.requests);
  });

  it('streams from several hosts too, and says which host answered', async () => {
    const [first, second] = [await sim(), await sim()];
    const lunar = client({ hosts: [first.url, second.url] });
    const hosts = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const stream = lunar.chat({ ...chat, stream: true });
      await stream.final();
      hosts.add(stream.host);
    }
    expect(hosts).toEqual(new Set([first.url, second.url]));
  });

  it('puts a skipped host back after its backoff, once it answers again', async () => {
    const up = await sim();
    const port = await freePort();
    const lunar = client({ hosts: [up.url, `127.0.0.1:${port}`] });
    for (let i = 0; i < 4; i++) await lunar.chat(chat);
    expect(lunar.hosts()[1]!.down).toBe(true);
    const back = await sim(port);
    // Calls go on as an application's would; one of them tries the host again once its backoff
    // passed, and it answers.
    await waitFor(
      async () => {
        await lunar.chat(chat);
        return (back.stats().requests['/api/chat'] ?? 0) > 0;
      },
      { intervalMs: 50, message: 'a call reaches the host that came back' },
    );
    expect(lunar.hosts()[1]!.down).toBe(false);
  });

  it('fails with OLLAMA_UNREACHABLE naming every host when none answers', async () => {
    const ports = [await freePort(), await freePort()];
    const lunar = client({ hosts: ports.map((port) => `127.0.0.1:${port}`), retry: { minDelayMs: 1 } });
    const error = await failure(lunar.chat(chat));
    expect(error.code).toBe('OLLAMA_UNREACHABLE');
    for (const port of ports) expect(error.message).toContain(`http://127.0.0.1:${port}`);
  });
});
