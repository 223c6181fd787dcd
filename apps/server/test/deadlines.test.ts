import { waitFor } from '@lunar/dev-kit';
import { describe, expect, it } from 'vitest';
import { MODEL, ndjsonLines, postHead, postJson, rawConnection, startHarness } from './helpers.js';

const chat = (content: string, extra: Record<string, unknown> = {}) => ({
  model: MODEL,
  messages: [{ role: 'user', content }],
  ...extra,
});

describe('deadlines of calls to Ollama', () => {
  it('16 calls stalled mid-answer hold every connection until idleMs cuts them: a chat and a turn waiting behind them are then answered', async () => {
    const harness = await startHarness(
      { connections: 16, timeouts: { idleMs: 1_000 } },
      { parallel: 32, latency: { tokensPerSecond: 1_000 } },
    );
    try {
      harness.sim.injectFault({
        fault: { type: 'stall', ms: 600_000, afterChunks: 2 },
        route: '/api/chat',
        times: 16,
      });
      const stalled = Array.from({ length: 16 }, async (_, index) => {
        const response = await postJson(`${harness.url}/api/chat`, chat(`Stall ${index}.`));
        return { status: response.status, lines: ndjsonLines(await response.text()) };
      });
      await waitFor(() => harness.sim.stats().timersPending! >= 16 && harness.server.proxiedInFlight === 16);
      const hosts = () => harness.server.client.hosts()[0]!;
      expect(hosts().running).toBe(16);

      const unrelated = postJson(`${harness.url}/api/chat`, chat('Hello there.', { stream: false }));
      const turn = postJson(`${harness.url}/v1/turns`, { message: 'Why is the sky blue?', stream: false });
      // Both wait for a connection: every one is held by a stalled call.
      await waitFor(() => (hosts().queued ?? 0) >= 1);

      expect((await unrelated).status).toBe(200);
      expect(await (await unrelated).json()).toMatchObject({ done: true });
      expect((await turn).status).toBe(200);
      for (const { status, lines } of await Promise.all(stalled)) {
        // Ollama's way to end a failed stream: an error line, here in words.
        expect(status).toBe(200);
        expect(lines.at(-1)).toEqual({
          error: expect.stringContaining('did not send the next chunk in time'),
        });
        expect(JSON.stringify(lines.at(-1))).not.toMatch(/UND_ERR|ETIMEDOUT|http:\/\//);
      }
      await waitFor(() => hosts().running === 0);
    } finally {
      await harness.close();
    }
  }, 30_000);

  it('a call that gets no first token within headersMs is answered 504 in words, and its connection is closed', async () => {
    const harness = await startHarness({ timeouts: { headersMs: 500 } });
    try {
      harness.sim.injectFault({ fault: { type: 'stall', ms: 600_000 }, route: '/api/chat', times: 2 });
      const response = await postJson(`${harness.url}/api/chat`, chat('Stall.'));
      expect(response.status).toBe(504);
      const { error } = (await response.json()) as { error: string };
      expect(error).toContain('did not send the first token in time');
      expect(error).not.toMatch(/UND_ERR|http:\/\//);
      // Ollama sees the call end, so it stops working on it.
      await waitFor(() => harness.sim.stats().clientDisconnects === 1);
      const turn = await postJson(`${harness.url}/v1/turns`, { message: 'Stall again.', stream: false });
      expect(turn.status).toBe(502);
      const failed = (await turn.json()) as { code: string; error: string };
      expect(failed.error).not.toMatch(/UND_ERR|http:\/\//);
      await waitFor(() => harness.server.client.hosts()[0]!.running === 0);
    } finally {
      await harness.close();
    }
  });
});

/**
 * Sends a request's headers and half of its body on a raw connection, then nothing more; resolves
 * with what the server answered once it closed the connection.
 */
async function halfSentBody(url: string, path: string): Promise<string> {
  const connection = await rawConnection(url);
  const body = JSON.stringify({ text: 'A memory sent slowly.', model: MODEL, messages: [] });
  connection.socket.write(`${postHead(path, body.length)}${body.slice(0, 10)}`);
  await connection.closed;
  return connection.received();
}

describe('deadlines of requests from clients', () => {
  it('cuts a half-sent body with 408 once requestTimeoutMs has passed, on the server routes and on the proxy', async () => {
    const harness = await startHarness({ requestTimeoutMs: 500 });
    try {
      for (const path of ['/v1/memories', '/v1/turns', '/api/chat']) {
        const answer = await halfSentBody(harness.url, path);
        expect(answer, path).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
      }
      // Nothing was held: the proxy's calls and the turns are all over.
      expect(harness.server.proxiedInFlight).toBe(0);
      expect(harness.server.turnsInFlight).toBe(0);
    } finally {
      await harness.close();
    }
  });
});
