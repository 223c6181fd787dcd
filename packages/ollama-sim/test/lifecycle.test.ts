import { waitFor } from '@lunar/dev-kit';
import { describe, expect, it } from 'vitest';
import { OllamaSimError, startOllamaSim } from '../src/index.js';
import { openStream, post, startSim } from './helpers.js';

describe('lifecycle', () => {
  it('clears every timer and connection on close, even mid-stall and with models kept alive', async () => {
    const sim = await startOllamaSim({ latency: { tokensPerSecond: 50, loadMs: 5 } });
    await post(sim, '/api/generate', {
      model: 'qwen3:8b',
      prompt: 'hi',
      stream: false,
      keep_alive: '1h',
      options: { num_predict: 1 },
    });
    const stalled = openStream(
      sim,
      '/api/chat',
      { model: 'llama3.2:3b', messages: [{ role: 'user', content: 'hi' }] },
      {
        'x-ollama-sim-fault': JSON.stringify({ type: 'stall', ms: 60_000, afterChunks: 1 }),
      },
    );
    await stalled.firstLine;
    expect(sim.stats().timersPending).toBe(2);
    await sim.close();
    await sim.close();
    await expect(stalled.done).rejects.toThrow();
    expect(sim.stats()).toMatchObject({
      connectionsOpen: 0,
      generationsInFlight: 0,
      queued: 0,
      timersPending: 0,
    });
  });

  it('closes when its signal aborts', async () => {
    const controller = new AbortController();
    const sim = await startSim({ signal: controller.signal });
    controller.abort();
    await waitFor(() => sim.stats().connectionsOpen === 0);
    await expect(fetch(sim.url)).rejects.toThrow();
  });

  it('fails with OLLAMA_SIM_LISTEN when the port is taken', async () => {
    const sim = await startSim();
    const error = await startOllamaSim({ port: sim.port }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OllamaSimError);
    expect(error).toMatchObject({ code: 'OLLAMA_SIM_LISTEN', port: sim.port });
  });

  it('counts connections and requests per route, and resets the counters', async () => {
    const sim = await startSim();
    const generated = JSON.parse(
      (await post(sim, '/api/generate', { model: 'llama3.2:3b', prompt: 'hi', stream: false })).text,
    );
    await fetch(`${sim.url}/api/tags`);
    const stats = sim.stats();
    expect(stats.requests).toEqual({ '/api/generate': 1, '/api/tags': 1 });
    expect(stats.connectionsOpened).toBeGreaterThanOrEqual(1);
    expect(stats.tokensGenerated).toBe(generated.eval_count);
    expect(stats.tokensGenerated).toBe(24);
    expect(stats.modelLoads).toBe(1);
    sim.resetStats();
    expect(sim.stats()).toMatchObject({
      requests: {},
      tokensGenerated: 0,
      modelLoads: 0,
      loadedModels: ['llama3.2:3b'],
    });
  });

  it('listens on the given host and reports a usable URL', async () => {
    const sim = await startSim({ host: '0.0.0.0' });
    expect(sim.url).toBe(`http://127.0.0.1:${sim.port}`);
    expect(sim.host).toBe('0.0.0.0');
    expect(await fetch(sim.url).then((response) => response.text())).toBe('Ollama is running');
  });
});
