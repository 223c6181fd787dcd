import { describe, expect, it } from 'vitest';
import { createAgent } from '../src/index.js';
import { collect, eventually, MODEL, startSim, weatherTool } from './helpers.js';

describe('abort', () => {
  it('aborting mid-stream ends the turn and closes the Ollama request', async () => {
    const { sim, client } = await startSim({
      latency: { tokensPerSecond: 200 },
      models: [{ name: MODEL, answerTokens: 400 }],
    });
    try {
      const agent = createAgent({ model: MODEL, client });
      const controller = new AbortController();
      const events = [];
      for await (const event of agent.run('Tell me a long story.', { signal: controller.signal })) {
        events.push(event);
        if (event.type === 'text-delta') controller.abort();
      }
      expect(events.at(-1)).toMatchObject({ type: 'error', code: 'AGENT_ABORTED' });
      await eventually(() => sim.stats().clientDisconnects === 1);
      expect(sim.stats().generationsInFlight).toBe(0);
    } finally {
      await client.close();
      await sim.close();
    }
  });

  it('breaking out of the loop closes the Ollama request too', async () => {
    const { sim, client } = await startSim({
      latency: { tokensPerSecond: 200 },
      models: [{ name: MODEL, answerTokens: 400 }],
    });
    try {
      const agent = createAgent({ model: MODEL, client });
      for await (const event of agent.run('Tell me a long story.')) {
        if (event.type === 'text-delta') break;
      }
      await eventually(() => sim.stats().clientDisconnects === 1);
    } finally {
      await client.close();
      await sim.close();
    }
  });

  it('aborting while tools run reaches the tools through their signal', async () => {
    const { sim, client } = await startSim();
    const seen: AbortSignal[] = [];
    try {
      const agent = createAgent({ model: MODEL, client, tools: [weatherTool(10_000, seen)] });
      const controller = new AbortController();
      const run = collect(agent.run('What is the weather in Lima?', { signal: controller.signal }));
      await eventually(() => seen.length === 1);
      controller.abort();
      const events = await run;
      expect(seen[0]!.aborted).toBe(true);
      expect(events.at(-1)).toMatchObject({ type: 'error', code: 'AGENT_ABORTED' });
    } finally {
      await client.close();
      await sim.close();
    }
  });
});
