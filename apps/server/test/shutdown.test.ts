import { waitFor } from '@lunar/dev-kit';
import { describe, expect, it, vi } from 'vitest';
import { MODEL, parseSse, postJson, startHarness } from './helpers.js';

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

  it('aborts what is still running when the grace period is over', async () => {
    const harness = await startHarness({}, { latency: { tokensPerSecond: 50 }, models: slowModels(5_000) });
    try {
      const stream = await firstDelta(
        await postJson(`${harness.url}/v1/turns`, { message: 'Tell me a long story.' }),
      );
      const startedAt = Date.now();
      await harness.server.close({ graceMs: 200 });
      expect(Date.now() - startedAt).toBeLessThan(5_000);
      const events = parseSse(await stream.rest());
      expect(events.at(-1)).toMatchObject({ event: 'error', data: { code: 'aborted' } });
      await waitFor(() => harness.sim.stats().clientDisconnects === 1);
    } finally {
      await harness.close();
    }
  });

  it('leaves none of its own timers pending once closed, past the grace period too', async () => {
    const harness = await startHarness({}, { latency: { tokensPerSecond: 50 }, models: slowModels(5_000) });
    // Every timer src/server.ts sets while closing, and whether it fired or was cleared.
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
      if (/[/\\]src[/\\]server\.ts:/.test(caller ?? '')) timers.set(handle, record);
      return handle;
    }) as typeof setTimeout);
    const clear = vi.spyOn(globalThis, 'clearTimeout').mockImplementation(((handle?: NodeJS.Timeout) => {
      const record = timers.get(handle);
      if (record) record.settled = true;
      realClear(handle);
    }) as typeof clearTimeout);
    try {
      const stream = await firstDelta(
        await postJson(`${harness.url}/v1/turns`, { message: 'Tell me a long story.' }),
      );
      await harness.server.close({ graceMs: 200 });
      await stream.rest();
      // The grace timer and the 1 s wait for the aborted requests, which end well before it.
      expect([...timers.values()].map((timer) => timer.delay).sort()).toEqual([1_000, 200]);
      expect([...timers.values()].filter((timer) => !timer.settled)).toEqual([]);
    } finally {
      set.mockRestore();
      clear.mockRestore();
      await harness.close();
    }
  });
});
