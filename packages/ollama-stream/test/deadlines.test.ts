import { waitFor } from '@lunar/dev-kit';
import { afterEach, describe, expect, it } from 'vitest';
import type { OllamaClient } from '../src/index.js';
import { failure, fixtures, user } from './helpers.js';
import { startRawServer } from './raw-server.js';

const { sim, client, closeAll } = fixtures();

afterEach(closeAll);

const chat = { model: 'llama3.2:3b', messages: user('hello') };
const stalled = (ms: number) => ({
  headers: { 'x-ollama-sim-fault': JSON.stringify({ type: 'stall', ms }) },
});

/** `count` chats the simulator stalls before its headers, each holding a connection: how each ends. */
function stallCalls(lunar: OllamaClient, count: number) {
  const failures = Array.from({ length: count }, () => failure(lunar.chat(chat, stalled(30_000)).final()));
  return { failures };
}

describe('deadlines on every call, and a connection limit an operator can size', () => {
  it('16 stalled calls hold every connection: an unrelated call fails with a clear timeout, not after the stall', async () => {
    const ollama = await sim(0, { parallel: 16 });
    const lunar = client({ host: ollama.url, connections: 16 });
    const { failures } = stallCalls(lunar, 16);
    await waitFor(() => lunar.hosts()[0]!.running === 16);

    const error = await failure(lunar.version({ timeouts: { headersMs: 200 } }));
    expect(error).toMatchObject({ code: 'OLLAMA_TIMEOUT', deadline: 'headersMs', timeoutMs: 200 });
    expect(error.message).toBe(
      `The call waited 200 ms for a connection to Ollama at ${ollama.url} and got none: all 16 were busy ` +
        'with other calls. Raise `connections` if Ollama can take more calls at once, or `timeouts.headersMs`',
    );
    expect(ollama.stats().requests['/api/version'] ?? 0).toBe(0);
    await lunar.close();
    for (const stalledCall of await Promise.all(failures)) {
      expect(stalledCall).toMatchObject({ code: 'OLLAMA_ABORTED' });
    }
  });

  it('with the default limit (64), 16 stalled calls leave spare connections: an unrelated call is served', async () => {
    const ollama = await sim(0, { parallel: 16 });
    const lunar = client({ host: ollama.url });
    const { failures } = stallCalls(lunar, 16);
    await waitFor(() => lunar.hosts()[0]!.running === 16);
    const settled: unknown[] = [];
    for (const stalledCall of failures) stalledCall.then((value) => settled.push(value));

    expect((await lunar.version()).version).toBe('0.33.0');
    expect(settled).toEqual([]);
    expect(ollama.stats().connectionsOpened).toBe(17);
  });

  it("a stalled call's headersMs ends it and closes its socket; the call queued behind it then goes", async () => {
    const ollama = await sim();
    const lunar = client({ host: ollama.url, connections: 1 });
    const stuck = failure(lunar.chat(chat, { ...stalled(30_000), timeouts: { headersMs: 150 } }).final());
    const behind = lunar.chat({ ...chat, stream: false });

    const error = await stuck;
    expect(error).toMatchObject({ code: 'OLLAMA_TIMEOUT', deadline: 'headersMs', host: ollama.url });
    expect(error.message).toContain(`Ollama at ${ollama.url} did not start answering within 150 ms`);
    expect((await behind).done).toBe(true);
    await waitFor(() => ollama.stats().clientDisconnects === 1);
  });

  it('a call that timed out while waiting for a connection costs no connection when one frees', async () => {
    const ollama = await sim();
    const lunar = client({ host: ollama.url, connections: 1 });
    const slow = lunar.chat({ ...chat, stream: false }, stalled(300));
    await waitFor(() => lunar.hosts()[0]!.running === 1);
    const waiting = await failure(lunar.version({ timeouts: { headersMs: 50 } }));
    expect(waiting).toMatchObject({ code: 'OLLAMA_TIMEOUT', deadline: 'headersMs' });
    expect((await slow).done).toBe(true);
    expect((await lunar.version()).version).toBe('0.33.0');
    // The dead call was dropped when the connection freed, without closing it: still one connection.
    expect(ollama.stats().connectionsOpened).toBe(1);
    expect(ollama.stats().requests['/api/version']).toBe(1);
  });

  it('idleMs applies to a body that is not streamed, once its headers came', async () => {
    const server = await startRawServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      response.write('{"models":[');
    });
    try {
      const lunar = client({ host: server.url, timeouts: { idleMs: 100 } });
      const error = await failure(lunar.tags());
      expect(error).toMatchObject({ code: 'OLLAMA_TIMEOUT', deadline: 'idleMs', timeoutMs: 100 });
      expect(error.message).toContain(
        `Ollama at ${server.url} sent nothing for 100 ms in the middle of its answer`,
      );
    } finally {
      await closeAll();
      await server.close();
    }
  });
});
