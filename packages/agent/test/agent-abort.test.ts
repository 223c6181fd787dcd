import { getEventListeners } from 'node:events';
import { waitFor } from '@lunar/dev-kit';
import { describe, expect, it } from 'vitest';
import { createAgent } from '../src/index.js';
import { collect, MODEL, startSim, weatherTool } from './helpers.js';

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
      await waitFor(() => sim.stats().clientDisconnects === 1);
      expect(sim.stats().generationsInFlight).toBe(0);
      // The turn left nothing attached to the caller's signal.
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
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
      await waitFor(() => sim.stats().clientDisconnects === 1);
    } finally {
      await client.close();
      await sim.close();
    }
  });

  it('aborting while tools run reaches the tools through their signal', async () => {
    const { sim, client } = await startSim();
    const seen: AbortSignal[] = [];
    try {
      let toolStarted!: () => void;
      const started = new Promise<void>((resolve) => {
        toolStarted = resolve;
      });
      const agent = createAgent({
        model: MODEL,
        client,
        tools: [weatherTool('until-aborted', seen, () => toolStarted())],
      });
      const controller = new AbortController();
      const run = collect(agent.run('What is the weather in Lima?', { signal: controller.signal }));
      await started;
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
