import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { eventually, sleep, startHarness } from './helpers.js';

const WORDS = 400_000;

describe('a slow reader', () => {
  it('slows the upstream read: generation stalls while the client does not read, and stops when it leaves', async () => {
    const harness = await startHarness(
      {},
      {
        latency: { tokensPerSecond: Number.POSITIVE_INFINITY },
        // One token per " word": far more bytes than every socket buffer on the way can hold.
        script: () => ({ content: ' word'.repeat(WORDS) }),
      },
    );
    try {
      const body = JSON.stringify({ message: 'Tell me everything.' });
      const client = request(`${harness.url}/v1/turns`, {
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
      // Wait until the simulator stops producing: the whole chain is waiting on this reader.
      let last = -1;
      for (;;) {
        await sleep(300);
        const generated = harness.sim.stats().tokensGenerated;
        if (generated === last) break;
        last = generated;
      }
      expect(last).toBeGreaterThan(0);
      expect(last).toBeLessThan(WORDS / 2);
      expect(harness.server.turnsInFlight).toBe(1);
      client.destroy();
      await eventually(() => harness.sim.stats().clientDisconnects === 1);
      await eventually(() => harness.server.turnsInFlight === 0);
      expect(harness.sim.stats().tokensGenerated).toBeLessThan(WORDS / 2);
    } finally {
      await harness.close();
    }
  }, 30_000);
});
