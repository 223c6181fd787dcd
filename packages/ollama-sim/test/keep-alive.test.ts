import { waitFor } from '@lunar/dev-kit';
import { describe, expect, it } from 'vitest';
import { get, post, startSim } from './helpers.js';

const generate = (extra: Record<string, unknown> = {}) => ({
  model: 'llama3.2:3b',
  prompt: 'hi',
  stream: false,
  ...extra,
});
const ps = async (sim: Awaited<ReturnType<typeof startSim>>) =>
  JSON.parse((await get(sim, '/api/ps')).text).models as Array<{ name: string; expires_at: string }>;

describe('keep_alive', () => {
  it('unloads a model when its keep_alive runs out, and loads it again on the next request', async () => {
    const sim = await startSim();
    await post(sim, '/api/generate', generate({ keep_alive: '1s' }));
    const [entry] = await ps(sim);
    expect(entry?.name).toBe('llama3.2:3b');
    const expiresIn = Date.parse(entry?.expires_at ?? '') - Date.now();
    expect(expiresIn).toBeLessThanOrEqual(1000);
    await waitFor(() => sim.stats().loadedModels.length === 0);
    expect(await ps(sim)).toEqual([]);
    await post(sim, '/api/generate', generate());
    expect(sim.stats().modelLoads).toBe(2);
  });

  it('unloads right after the response with keep_alive 0', async () => {
    const sim = await startSim();
    const response = JSON.parse((await post(sim, '/api/generate', generate({ keep_alive: 0 }))).text);
    expect(response.done_reason).toBe('stop');
    await waitFor(() => sim.stats().loadedModels.length === 0);
    expect(sim.stats().modelLoads).toBe(1);
  });

  it('keeps a model forever with a negative keep_alive, and 5 minutes by default', async () => {
    const sim = await startSim();
    await post(sim, '/api/generate', generate({ keep_alive: -1 }));
    await post(sim, '/api/embed', { model: 'nomic-embed-text', input: 'x' });
    const entries = await ps(sim);
    const year = (name: string) =>
      new Date(entries.find((entry) => entry.name === name)?.expires_at ?? '').getUTCFullYear();
    expect(year('llama3.2:3b')).toBeGreaterThan(2250);
    const defaultExpiry = Date.parse(
      entries.find((entry) => entry.name === 'nomic-embed-text:latest')?.expires_at ?? '',
    );
    expect(defaultExpiry - Date.now()).toBeGreaterThan(4 * 60_000);
    expect(defaultExpiry - Date.now()).toBeLessThanOrEqual(5 * 60_000);
  });

  it('takes the server default from the keepAlive option, and preloads models without a load', async () => {
    const sim = await startSim({ keepAlive: '100ms', preload: ['qwen3:8b'] });
    expect(sim.stats().loadedModels).toEqual(['qwen3:8b']);
    expect(sim.stats().modelLoads).toBe(0);
    await waitFor(() => sim.stats().loadedModels.length === 0);
  });

  it('a later request resets the countdown', async () => {
    const sim = await startSim();
    await post(sim, '/api/generate', generate({ keep_alive: '5s' }));
    await post(sim, '/api/generate', generate({ keep_alive: '1h' }));
    // The countdown now runs from the second request: an hour, not what is left of 5 s.
    const [entry] = await ps(sim);
    expect(Date.parse(entry?.expires_at ?? '') - Date.now()).toBeGreaterThan(59 * 60_000);
    expect(sim.stats().loadedModels).toEqual(['llama3.2:3b']);
    expect(sim.stats().modelLoads).toBe(1);
  });

  it('reloads when load-time options such as num_ctx change, and /api/ps shows the context length', async () => {
    const sim = await startSim();
    await post(sim, '/api/generate', generate());
    await post(sim, '/api/generate', generate({ options: { num_ctx: 8192 } }));
    expect(sim.stats().modelLoads).toBe(2);
    expect(JSON.parse((await get(sim, '/api/ps')).text).models[0].context_length).toBe(8192);
    await post(sim, '/api/generate', generate({ options: { num_ctx: 8192, temperature: 0 } }));
    expect(sim.stats().modelLoads).toBe(2);
  });
});
