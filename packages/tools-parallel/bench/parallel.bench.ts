import { setTimeout as sleep } from 'node:timers/promises';
import { median, sized, timeRounds } from '@lunar/dev-kit';
import type { ToolCall } from '@lunar/ollama-stream';
import { z } from 'zod';
import { defineTool, runTools, ToolRegistry } from '../src/index.js';

const TOOL_COUNT = 5;
const TOOL_MS = 100;
export const ROUNDS = sized(5, 1);

const slow = defineTool({
  name: 'slow',
  description: 'Waits 100 ms, like a network lookup',
  parameters: z.object({ id: z.number() }),
  execute: async ({ id }, { signal }) => {
    await sleep(TOOL_MS, undefined, { signal });
    return { id };
  },
});

export interface ParallelRow {
  readonly label: string;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
}

/** Five 100 ms tools: one after another (the classic loop) against runTools, same run. */
export async function benchParallel(): Promise<ParallelRow[]> {
  const registry = new ToolRegistry([slow]);
  const calls: ToolCall[] = Array.from({ length: TOOL_COUNT }, (_unused, id) => ({
    function: { name: 'slow', arguments: { id } },
  }));
  const sequential = await timeRounds(async () => {
    for (const call of calls) {
      const args = slow.parameters.parse(call.function.arguments);
      await slow.execute(args, { signal: new AbortController().signal, callId: 'x' });
    }
  }, ROUNDS);
  const promiseAll = await timeRounds(
    () =>
      Promise.all(
        calls.map((call) =>
          slow.execute(slow.parameters.parse(call.function.arguments), {
            signal: new AbortController().signal,
            callId: 'x',
          }),
        ),
      ),
    ROUNDS,
  );
  const parallel = await timeRounds(() => runTools(calls, registry, { concurrency: TOOL_COUNT }), ROUNDS);
  const row = (label: string, times: number[]): ParallelRow => ({
    label,
    medianMs: median(times),
    minMs: Math.min(...times),
    maxMs: Math.max(...times),
  });
  return [
    row('sequential loop (baseline)', sequential),
    row('Promise.all, no limit or timeouts', promiseAll),
    row('runTools, concurrency 5', parallel),
  ];
}
