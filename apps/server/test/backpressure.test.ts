import { request } from 'node:http';
import type { Socket } from 'node:net';
import { waitFor } from '@lunar/dev-kit';
import { describe, expect, it } from 'vitest';
import { type Harness, MODEL, startHarness } from './helpers.js';

const WORDS = 400_000;

/**
 * Sends `body` to `path`, reads the first bytes of the answer, then stops reading: the simulator's
 * generation must stall (the whole chain waits on this reader), then stop when the reader leaves.
 */
async function slowReader(path: string, body: string, whileStalled: (harness: Harness) => void) {
  const harness = await startHarness(
    {},
    {
      latency: { tokensPerSecond: Number.POSITIVE_INFINITY },
      // One token per " word": far more bytes than every socket buffer on the way can hold.
      script: () => ({ content: ' word'.repeat(WORDS) }),
    },
  );
  try {
    // The server's end of this client's connection: its writes wait once the client stops reading.
    const sockets: Socket[] = [];
    harness.server.app.server.on('connection', (socket: Socket) => sockets.push(socket));
    const client = request(`${harness.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    const paused = new Promise<void>((resolve) => {
      client.on('response', (response) => {
        response.once('data', () => {
          response.pause();
          resolve();
        });
      });
    });
    client.end(body);
    await paused;
    // Wait until the server's answer waits on this reader and the simulator has stopped producing
    // (no token between two looks): the whole chain is waiting on this reader.
    let last = -1;
    await waitFor(
      () => {
        const generated = harness.sim.stats().tokensGenerated;
        const still = generated === last;
        last = generated;
        return still && sockets.length === 1 && sockets[0]!.writableNeedDrain;
      },
      { intervalMs: 300, timeoutMs: 20_000, message: 'the generation stalls behind the paused reader' },
    );
    expect(last).toBeGreaterThan(0);
    expect(last).toBeLessThan(WORDS / 2);
    whileStalled(harness);
    client.destroy();
    await waitFor(() => harness.sim.stats().clientDisconnects === 1);
    await waitFor(() => harness.server.turnsInFlight === 0);
    await waitFor(() => harness.server.client.hosts()[0]!.running === 0);
    expect(harness.sim.stats().tokensGenerated).toBeLessThan(WORDS / 2);
  } finally {
    await harness.close();
  }
}

describe('a slow reader', () => {
  it('slows the read from Ollama: generation stalls while the client does not read, and stops when it leaves', async () => {
    await slowReader('/v1/turns', JSON.stringify({ message: 'Tell me everything.' }), (harness) => {
      expect(harness.server.turnsInFlight).toBe(1);
    });
  }, 30_000);

  it('slows a relayed stream the cache cannot key the same way', async () => {
    const chat = { model: MODEL, messages: [{ role: 'user', content: 'Tell me everything.' }] };
    await slowReader('/api/chat', `${JSON.stringify(chat)} trailing`, (harness) => {
      expect(harness.server.client.hosts()[0]!.running).toBe(1);
    });
  }, 30_000);
});
