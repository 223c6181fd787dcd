import { type OllamaSim, type OllamaSimOptions, startOllamaSim } from '@lunar/ollama-sim';
import { OllamaClient } from '@lunar/ollama-stream';
import { defineTool } from '@lunar/tools-parallel';
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

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

/** A weather tool with a fixed latency that records the signals it saw. */
export function weatherTool(latencyMs = 20, seen: AbortSignal[] = []) {
  return defineTool({
    name: 'get_weather',
    description: 'Get the current weather in a city.',
    parameters: z.object({ city: z.string() }),
    readOnly: true,
    async execute({ city }, { signal }) {
      seen.push(signal);
      await sleep(latencyMs, signal);
      return { city, temperature: 21, sky: 'clear' };
    },
  });
}

export function stockTool(latencyMs = 20) {
  return defineTool({
    name: 'get_stock_price',
    description: 'Get the latest stock price of a ticker symbol.',
    parameters: z.object({ symbol: z.string() }),
    readOnly: true,
    async execute({ symbol }, { signal }) {
      await sleep(latencyMs, signal);
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

/** Waits until `check` is true, polling; fails after `timeoutMs`. */
export async function eventually(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}
