import type { IncomingMessage } from 'node:http';
import { waitFor } from '@lunar/dev-kit';
import { describe, expect, it, vi } from 'vitest';
import { MODEL, ndjsonLines, parseSse, postHead, postJson, rawConnection, startHarness } from './helpers.js';

const slowModels = (answerTokens: number) => [
  { name: MODEL, answerTokens },
  { name: 'nomic-embed-text', capabilities: ['embedding' as const] },
];

async function firstDelta(response: Response) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!text.includes('event: text-delta'))
    text += decoder.decode((await reader.read()).value, { stream: true });
  return {
    async rest() {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return text;
        text += decoder.decode(value, { stream: true });
      }
    },
  };
}

describe('close()', () => {
  it('stops accepting, lets a turn in flight finish, then closes', async () => {
    const harness = await startHarness({}, { latency: { tokensPerSecond: 100 }, models: slowModels(40) });
    try {
      const stream = await firstDelta(
        await postJson(`${harness.url}/v1/turns`, { message: 'Tell me a story.' }),
      );
      const closed = harness.server.close({ graceMs: 10_000 });
      await expect(fetch(`${harness.url}/healthz`)).rejects.toThrow();
      const events = parseSse(await stream.rest());
      expect(events.at(-1)!.event).toBe('done');
      await closed;
      expect(harness.sim.stats().clientDisconnects).toBe(0);
    } finally {
      await harness.close();
    }
  });

  it('aborts what is still running near the end of the grace period, saying the server is shutting down', async () => {
    const harness = await startHarness(
      {},
      { latency: { tokensPerSecond: 50 }, models: slowModels(5_000), parallel: 4 },
    );
    try {
      const stream = await firstDelta(
        await postJson(`${harness.url}/v1/turns`, { message: 'Tell me a long story.' }),
      );
      // A proxied stream, and a proxied call waiting for its whole answer.
      const proxied = await postJson(`${harness.url}/api/chat`, {
        model: MODEL,
        messages: [{ role: 'user', content: 'Tell me another long story.' }],
      });
      const whole = postJson(`${harness.url}/api/generate`, {
        model: MODEL,
        prompt: 'And one more.',
        stream: false,
      });
      await waitFor(() => harness.server.proxiedInFlight === 2);
      await harness.server.close({ graceMs: 400 });
      const events = parseSse(await stream.rest());
      expect(events.at(-1)).toMatchObject({
        event: 'error',
        data: { code: 'AGENT_ABORTED', message: expect.stringContaining('The server is shutting down') },
      });
      const lines = ndjsonLines(await proxied.text()) as Array<{ error?: string }>;
      // As Ollama ends a canceled request; never "internal server error".
      expect(lines.at(-1)).toEqual({ error: 'request canceled' });
      const answer = await whole;
      expect(answer.status).toBe(503);
      expect(await answer.json()).toEqual({ error: 'request canceled' });
      await waitFor(() => harness.sim.stats().clientDisconnects === 3);
    } finally {
      await harness.close();
    }
  });

  it('ends within the grace period whatever the clients do: one stopped reading, one never finishes its body', async () => {
    // Tokens as fast as they come: a client that does not read fills every buffer on the way.
    const harness = await startHarness(
      {},
      {
        latency: { tokensPerSecond: Number.POSITIVE_INFINITY },
        script: () => ({ content: ' word'.repeat(400_000) }),
      },
    );
    // Every timer src/http/graceful-close.ts sets while closing, and whether it fired or was cleared: when it
    // ends is read from its timers, not from the clock of a loaded machine.
    const timers = new Map<unknown, { delay: number | undefined; settled: boolean }>();
    const realSet = globalThis.setTimeout;
    const realClear = globalThis.clearTimeout;
    const set = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((
      callback: (...args: unknown[]) => void,
      delay?: number,
      ...args: unknown[]
    ) => {
      const record = { delay, settled: false };
      const handle = realSet(
        (...values: unknown[]) => {
          record.settled = true;
          callback(...values);
        },
        delay,
        ...args,
      );
      // The caller: the first frame that is neither this function nor vitest's spy.
      const caller = (new Error().stack ?? '')
        .split('\n')
        .slice(1)
        .find((line) => !line.includes('shutdown.test.ts') && !line.includes('@vitest'));
      if (/[/\\]src[/\\]http[/\\]graceful-close\.ts:/.test(caller ?? '')) timers.set(handle, record);
      return handle;
    }) as typeof setTimeout);
    const clear = vi.spyOn(globalThis, 'clearTimeout').mockImplementation(((handle?: NodeJS.Timeout) => {
      const record = timers.get(handle);
      if (record) record.settled = true;
      realClear(handle);
    }) as typeof clearTimeout);
    try {
      // A turn whose client read its first bytes and stopped reading.
      const reader = await rawConnection(harness.url);
      const turn = JSON.stringify({ message: 'Tell me everything.' });
      reader.socket.write(`${postHead('/v1/turns', turn.length)}${turn}`);
      await waitFor(() => reader.received() !== '');
      reader.socket.pause();
      // A memory whose body stops halfway, received before the close.
      let arrived = false;
      let accepted = 1;
      harness.server.app.server.on('request', (request: IncomingMessage) => {
        if (request.url === '/v1/memories') arrived = true;
      });
      harness.server.app.server.on('connection', () => accepted++);
      const writer = await rawConnection(harness.url);
      writer.socket.write(`${postHead('/v1/memories', 100)}{"text":`);
      // Another, connected before the close, whose request comes once it has begun: answered 503,
      // with the rest of its body never sent.
      const late = await rawConnection(harness.url);
      await waitFor(() => harness.server.turnsInFlight === 1 && arrived && accepted === 3);
      const closed = harness.server.close({ graceMs: 400 });
      late.socket.write(`${postHead('/v1/memories', 100)}{"text":`);
      await closed;
      // The three connections were closed by the server, not by their clients (the reader reads
      // again only to see the end).
      reader.socket.resume();
      await Promise.all([reader.closed, writer.closed, late.closed]);
      // The abort comes at 300 ms, the last connections are closed at 400 ms: nothing waits past the
      // grace period, and every timer was cleared or fired.
      expect([...timers.values()].map((timer) => timer.delay).sort()).toEqual([100, 300]);
      expect([...timers.values()].filter((timer) => !timer.settled)).toEqual([]);
      expect(harness.server.turnsInFlight).toBe(0);
    } finally {
      set.mockRestore();
      clear.mockRestore();
      await harness.close();
    }
  }, 30_000);
});
