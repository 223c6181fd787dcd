import type { ToolCall } from '@lunar/ollama-stream';
import { z } from 'zod';
import { type DefinedTool, defineTool } from '../src/index.js';

/** An Ollama-shaped call. */
export function call(name: string, args: Record<string, unknown> = {}, id?: string): ToolCall {
  return id === undefined
    ? { function: { name, arguments: args } }
    : { id, function: { name, arguments: args } };
}

/**
 * A tool's (or a check's) simulated work: resolves after `ms` on whatever clock is installed (the
 * tests install fake timers and advance them), or rejects when `signal` aborts.
 */
export function workFor(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Counts how many calls of the tools made with it run at once. */
export class RunningCounter {
  running = 0;
  max = 0;
  readonly started: string[] = [];

  enter(label: string): void {
    this.started.push(label);
    this.running++;
    this.max = Math.max(this.max, this.running);
  }

  leave(): void {
    this.running--;
  }
}

/** A tool that waits `ms` (honouring its signal) and returns `value`. */
export function waitTool(
  name: string,
  options: { readOnly?: boolean; timeoutMs?: number; counter?: RunningCounter } = {},
): DefinedTool<{ ms: number; value?: string | undefined }, string> {
  return defineTool({
    name,
    description: `Waits, then answers (${name})`,
    readOnly: options.readOnly,
    timeoutMs: options.timeoutMs,
    parameters: z.object({ ms: z.number().min(0), value: z.string().optional() }),
    async execute({ ms, value }, { signal, callId }) {
      options.counter?.enter(callId);
      try {
        await workFor(ms, signal);
        return value ?? `${name} done`;
      } finally {
        options.counter?.leave();
      }
    },
  });
}

const realSetImmediate = globalThis.setImmediate;

/** Let every pending promise reaction run, whatever clock is installed. */
export function flush(): Promise<void> {
  return new Promise((resolve) => realSetImmediate(resolve));
}

/** A tool that never settles and never looks at its signal: the worst case for a timeout. */
export function stuckTool(
  name: string,
  seen: AbortSignal[] = [],
  timeoutMs?: number,
): DefinedTool<Record<string, never>, never> {
  return defineTool({
    name,
    description: 'Hangs and ignores its signal',
    timeoutMs,
    readOnly: true,
    parameters: z.object({}),
    execute: (_args, { signal }) => {
      seen.push(signal);
      return new Promise<never>(() => {});
    },
  });
}
