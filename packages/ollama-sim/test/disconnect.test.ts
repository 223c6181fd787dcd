import { waitFor } from '@lunar/dev-kit';
import { Ollama } from 'ollama';
import { describe, expect, it } from 'vitest';
import { openStream, post, startSim } from './helpers.js';

const longAnswer = {
  latency: { tokensPerSecond: 100 },
  models: [{ name: 'llama3.2:3b', answerTokens: 500 }],
};
const chat = { model: 'llama3.2:3b', messages: [{ role: 'user', content: 'Tell me everything' }] };

describe('client disconnects', () => {
  it('stops generating, frees the slot and counts the disconnect', async () => {
    const sim = await startSim(longAnswer);
    const stream = openStream(sim, '/api/chat', chat);
    await stream.firstLine;
    stream.destroy();
    await waitFor(() => sim.stats().clientDisconnects === 1);
    const stats = sim.stats();
    expect(stats.generationsInFlight).toBe(0);
    expect(stats.tokensGenerated).toBeLessThan(500);
    const next = await post(sim, '/api/generate', {
      model: 'llama3.2:3b',
      prompt: 'hi',
      stream: false,
      options: { num_predict: 2 },
    });
    expect(next.status).toBe(200);
    // The two tokens of the next answer are the only ones made since: the first answer stayed stopped.
    expect(sim.stats().tokensGenerated).toBe(stats.tokensGenerated + 2);
  });

  it('counts a request that leaves while waiting for a slot, and takes it out of the queue', async () => {
    const sim = await startSim(longAnswer);
    const running = openStream(sim, '/api/chat', chat);
    await running.firstLine;
    const waiting = openStream(sim, '/api/chat', chat);
    await waitFor(() => sim.stats().queued === 1);
    waiting.destroy();
    await waitFor(() => sim.stats().clientDisconnects === 1);
    expect(sim.stats().queued).toBe(0);
    running.destroy();
    await waitFor(() => sim.stats().clientDisconnects === 2);
    expect(sim.stats().generationsInFlight).toBe(0);
  });

  it('sees the official client abort() as a disconnect', async () => {
    const sim = await startSim(longAnswer);
    const ollama = new Ollama({ host: sim.url });
    const stream = await ollama.chat({ ...chat, stream: true });
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    stream.abort();
    // ollama-js may still hand out lines it had already parsed; then the iterator rejects.
    let rejected = false;
    for (let read = 0; read < 1_000 && !rejected; read++) {
      try {
        if ((await iterator.next()).done) break;
      } catch {
        rejected = true;
      }
    }
    expect(rejected).toBe(true);
    await waitFor(() => sim.stats().clientDisconnects === 1);
  });

  it('counts nothing when the simulator itself closes', async () => {
    const sim = await startSim(longAnswer);
    const stream = openStream(sim, '/api/chat', chat);
    await stream.firstLine;
    await sim.close();
    await expect(stream.done).rejects.toThrow();
    expect(sim.stats().clientDisconnects).toBe(0);
    expect(sim.stats().connectionsOpen).toBe(0);
  });
});

describe('a client that leaves during the prefill (llama-server polls for it once a second)', () => {
  const slowPrefill = { latency: { promptTokensPerSecond: 1000, tokensPerSecond: 1000 } };
  const generate = (words: number) => ({
    model: 'llama3.2:3b',
    prompt: 'word '.repeat(words),
    raw: true,
    options: { num_predict: 1 },
  });

  /** Starts a request, leaves once its prefill began, then asks the same prompt again. */
  async function leaveDuringPrefill(words: number) {
    const sim = await startSim(slowPrefill);
    const leaving = openStream(sim, '/api/generate', generate(words));
    await waitFor(() => sim.stats().promptTokensEvaluated > 0);
    const total = sim.stats().promptTokensEvaluated;
    leaving.destroy();
    await waitFor(() => sim.stats().clientDisconnects === 1);
    sim.resetStats();
    const again = await post(sim, '/api/generate', { ...generate(words), stream: false });
    expect(again.status).toBe(200);
    return { total, cached: sim.stats().promptTokensCached };
  }

  it('finishes a prefill shorter than the poll, which the next request then reuses', async () => {
    const { total, cached } = await leaveDuringPrefill(300);
    expect(cached).toBe(total - 1);
  });

  it('stops a longer one at the end of the batch running at the next poll', async () => {
    const { total, cached } = await leaveDuringPrefill(3000);
    expect(cached % 512).toBe(0);
    expect(cached).toBeGreaterThanOrEqual(1024);
    expect(cached).toBeLessThan(total - 1);
  });
});
