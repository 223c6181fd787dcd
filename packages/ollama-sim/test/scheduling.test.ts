import { waitFor } from '@lunar/dev-kit';
import { describe, expect, it } from 'vitest';
import { chatRequest as chat, last, lines, openStream, post, startSim } from './helpers.js';

describe('parallel slots and the queue', () => {
  it('serialises requests on one slot: the second waits, and the wait shows in total_duration only', async () => {
    const sim = await startSim({
      latency: { tokensPerSecond: 200 },
      models: [{ name: 'llama3.2:3b', answerTokens: 20 }],
    });
    const order: string[] = [];
    const first = post(sim, '/api/chat', chat('first', { stream: false })).then((response) => {
      order.push('first');
      return JSON.parse(response.text);
    });
    await waitFor(() => sim.stats().generationsInFlight === 1);
    const second = post(sim, '/api/chat', chat('second', { stream: false })).then((response) => {
      order.push('second');
      return JSON.parse(response.text);
    });
    await waitFor(() => sim.stats().queued === 1);
    expect(sim.stats().generationsInFlight).toBe(2);
    const [a, b] = await Promise.all([first, second]);
    expect(order).toEqual(['first', 'second']);
    const waited = b.total_duration - b.load_duration - b.prompt_eval_duration - b.eval_duration;
    expect(waited).toBeGreaterThan(a.eval_duration / 2);
    expect(b.load_duration).toBeLessThan(a.eval_duration);
    expect(sim.stats().queued).toBe(0);
  });

  it('runs requests side by side with parallel slots', async () => {
    const sim = await startSim({ parallel: 2, latency: { tokensPerSecond: 200 } });
    const both = [post(sim, '/api/chat', chat('one')), post(sim, '/api/chat', chat('two'))];
    await waitFor(() => sim.stats().generationsInFlight === 2);
    expect(sim.stats().queued).toBe(0);
    await Promise.all(both);
  });

  it('answers 503 past the queue limit', async () => {
    const sim = await startSim({ maxQueue: 1, latency: { tokensPerSecond: 100 } });
    const running = post(sim, '/api/chat', chat('one'));
    await waitFor(() => sim.stats().generationsInFlight === 1);
    const waiting = post(sim, '/api/chat', chat('two'));
    await waitFor(() => sim.stats().queued === 1);
    const rejected = await post(sim, '/api/chat', chat('three'));
    expect(rejected.status).toBe(503);
    expect(rejected.contentType).toBe('application/json; charset=utf-8');
    expect(JSON.parse(rejected.text)).toEqual({
      error: 'server busy, please try again.  maximum pending requests exceeded',
    });
    expect(sim.stats().rejectedBusy).toBe(1);
    expect((await running).status).toBe(200);
    expect((await waiting).status).toBe(200);
  });

  it('rejects at once with maxQueue 0 when every slot is busy', async () => {
    const sim = await startSim({ maxQueue: 0, latency: { tokensPerSecond: 100 } });
    const running = post(sim, '/api/chat', chat('one'));
    await waitFor(() => sim.stats().generationsInFlight === 1);
    expect((await post(sim, '/api/embed', { model: 'llama3.2:3b', input: 'x' })).status).toBe(503);
    await running;
  });
});

describe('streaming under a slow model', () => {
  it('reports the real time spent in each phase, in integer nanoseconds', async () => {
    const sim = await startSim({
      latency: { loadMs: 120, promptTokensPerSecond: 200, tokensPerSecond: 100, overheadMs: 10 },
      models: [{ name: 'llama3.2:3b', answerTokens: 8 }],
    });
    const started = performance.now();
    const stream = openStream(sim, '/api/chat', chat('Why is the sky blue today?'));
    await stream.firstLine;
    const timeToFirstLine = performance.now() - started;
    await stream.done;
    const wall = (performance.now() - started) * 1e6;
    const final = JSON.parse(last(stream.received));
    expect(timeToFirstLine).toBeGreaterThanOrEqual(120);
    for (const key of ['total_duration', 'load_duration', 'prompt_eval_duration', 'eval_duration']) {
      expect(Number.isInteger(final[key])).toBe(true);
    }
    expect(final.load_duration).toBeGreaterThanOrEqual(130e6 * 0.98);
    expect(final.prompt_eval_duration).toBeGreaterThanOrEqual((final.prompt_eval_count / 200) * 1e9 * 0.98);
    expect(final.eval_count).toBe(8);
    // The first token comes from the prefill's logits; the 7 after it take a decode step each.
    expect(final.eval_duration).toBeGreaterThanOrEqual(7 * 0.01e9 * 0.98);
    expect(final.total_duration).toBeGreaterThanOrEqual(
      final.load_duration + final.prompt_eval_duration + final.eval_duration,
    );
    expect(final.total_duration).toBeLessThanOrEqual(wall);
    expect(lines(`${stream.received.join('\n')}\n`)).toHaveLength(9);
  });
});
