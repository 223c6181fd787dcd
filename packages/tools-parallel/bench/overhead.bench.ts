import { median, sized, timeRounds } from '@lunar/dev-kit';
import type { ToolCall } from '@lunar/ollama-stream';
import { z } from 'zod';
import { defineTool, runTools, ToolRegistry } from '../src/index.js';

export const CALLS = sized(10_000, 200);
export const ROUNDS = sized(7, 1);

const noop = defineTool({
  name: 'noop',
  description: 'Does nothing',
  parameters: z.object({ i: z.number() }),
  execute: ({ i }) => i,
});

const noopWithSignal = defineTool({
  name: 'noop_signal',
  description: 'Does nothing, but looks at its signal as a real tool would',
  parameters: z.object({ i: z.number() }),
  execute: ({ i }, { signal }) => (signal.aborted ? -1 : i),
});

export interface OverheadRow {
  readonly label: string;
  readonly totalMs: number;
  readonly perCallUs: number;
  readonly overheadUs: number;
}

/** `CALLS` no-op calls: a plain loop against runTools, each the median of several rounds, same run. */
export async function benchOverhead(): Promise<OverheadRow[]> {
  const registry = new ToolRegistry([noop, noopWithSignal]);
  const calls: ToolCall[] = Array.from({ length: CALLS }, (_unused, i) => ({
    function: { name: 'noop', arguments: { i } },
  }));
  const signalCalls: ToolCall[] = calls.map((call) => ({
    function: { ...call.function, name: 'noop_signal' },
  }));
  const context = { signal: new AbortController().signal, callId: 'x' };
  const variants: [string, () => Promise<unknown>][] = [
    [
      'plain loop: await execute (baseline)',
      async () => {
        const results: unknown[] = [];
        for (const call of calls)
          results.push(await noop.execute(call.function.arguments as { i: number }, context));
        return results;
      },
    ],
    [
      'plain loop + zod safeParseAsync',
      async () => {
        const results: unknown[] = [];
        for (const call of calls) {
          const parsed = await noop.parameters.safeParseAsync(call.function.arguments);
          if (parsed.success) results.push(await noop.execute(parsed.data, context));
        }
        return results;
      },
    ],
    ['runTools, concurrency 1', () => runTools(calls, registry, { concurrency: 1, maxCalls: CALLS })],
    ['runTools, concurrency 8 (default)', () => runTools(calls, registry, { maxCalls: CALLS })],
    [
      'runTools, concurrency Infinity',
      () => runTools(calls, registry, { concurrency: Number.POSITIVE_INFINITY, maxCalls: CALLS }),
    ],
    ['runTools, default, tool reads its signal', () => runTools(signalCalls, registry, { maxCalls: CALLS })],
  ];
  // Interleave the variants round by round, so a slow moment on a shared machine hits them all alike.
  const times = variants.map(() => [] as number[]);
  for (const [, task] of variants) await timeRounds(task, 0, sized(2, 1));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [index, [, task]] of variants.entries()) times[index]?.push(...(await timeRounds(task, 1, 0)));
  }
  const baseline = median(times[0] ?? []);
  return variants.map(([label], index) => {
    const totalMs = median(times[index] ?? []);
    return {
      label,
      totalMs,
      perCallUs: (totalMs * 1000) / CALLS,
      overheadUs: ((totalMs - baseline) * 1000) / CALLS,
    };
  });
}
