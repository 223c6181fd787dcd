import { type OllamaSim, type OllamaSimOptions, startOllamaSim } from '@lunar/ollama-sim';
import { OllamaClient } from '@lunar/ollama-stream';
import { defineTool } from '@lunar/tools-parallel';
import { afterAll, beforeAll } from 'vitest';
import { z } from 'zod';
import type { AgentEvent } from '../src/index.js';

export const MODEL = 'llama3.2:3b';

export async function startSim(
  options: OllamaSimOptions = {},
): Promise<{ sim: OllamaSim; client: OllamaClient }> {
  const sim = await startOllamaSim({ profile: 'fast', preload: [MODEL], ...options });
  const client = new OllamaClient({ host: sim.url, retry: { retries: 0 } });
  return { sim, client };
}

/** A simulator and a client for the tests of one file: set before they run, closed after. */
export function useSim(options: OllamaSimOptions = {}): { sim: OllamaSim; client: OllamaClient } {
  const shared = {} as { sim: OllamaSim; client: OllamaClient };
  beforeAll(async () => {
    Object.assign(shared, await startSim(options));
  });
  afterAll(async () => {
    await shared.client?.close();
    await shared.sim?.close();
  });
  return shared;
}

export async function collect(events: AsyncIterable<AgentEvent>): Promise<AgentEvent[]> {
  const all: AgentEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

export function kinds(events: AgentEvent[]): string[] {
  return events.map((event) =>
    event.type === 'stage'
      ? `stage:${event.stage.name}${event.stage.round === undefined ? '' : `#${event.stage.round}`}`
      : event.type,
  );
}

/** Resolves when `signal` aborts, rejecting with its reason: a tool that runs until it is stopped. */
export function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/** How a test tool runs: at once, until aborted, or until a promise settles. */
export type ToolPace = 'instant' | 'until-aborted' | Promise<void>;

async function pace(how: ToolPace, signal: AbortSignal): Promise<void> {
  if (how === 'instant') return;
  if (how === 'until-aborted') await untilAborted(signal);
  else await Promise.race([how, untilAborted(signal)]);
}

/** A weather tool that records the signals it saw; it answers at once unless told otherwise. */
export function weatherTool(how: ToolPace = 'instant', seen: AbortSignal[] = [], onStart?: () => void) {
  return defineTool({
    name: 'get_weather',
    description: 'Get the current weather in a city.',
    parameters: z.object({ city: z.string() }),
    readOnly: true,
    async execute({ city }, { signal }) {
      seen.push(signal);
      onStart?.();
      await pace(how, signal);
      return { city, temperature: 21, sky: 'clear' };
    },
  });
}

export function stockTool(how: ToolPace = 'instant', onStart?: () => void) {
  return defineTool({
    name: 'get_stock_price',
    description: 'Get the latest stock price of a ticker symbol.',
    parameters: z.object({ symbol: z.string() }),
    readOnly: true,
    async execute({ symbol }, { signal }) {
      onStart?.();
      await pace(how, signal);
      return { symbol, price: 123.45 };
    },
  });
}

export function failingTool() {
  return defineTool({
    name: 'get_horoscope',
    description: 'Get the horoscope of a sign.',
    parameters: z.object({ sign: z.string() }),
    readOnly: true,
    execute() {
      throw new Error('the stars are not aligned');
    },
  });
}
