import { defineTool } from '@lunar/tools-parallel';
import { z } from 'zod';
import type { ToolPredictor } from '../turn/speculation.js';

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/** Latencies of the benchmark's stand-in tools, in ms: typical of a remote API call. */
export const BENCH_TOOL_LATENCY_MS = { get_weather: 250, get_stock_price: 400 } as const;

/**
 * Benchmark-only tools with fixed latencies and fixed answers: a weather lookup and a stock
 * quote, both read-only. They stand in for network APIs so the benchmark measures the pipeline.
 */
export function benchTools() {
  return [
    defineTool({
      name: 'get_weather',
      description: 'Get the current weather in a city.',
      parameters: z.object({ city: z.string().describe('city name, e.g. "Paris"') }),
      readOnly: true,
      async execute({ city }, { signal }) {
        await wait(BENCH_TOOL_LATENCY_MS.get_weather, signal);
        return { city, temperatureC: 18, sky: 'partly cloudy', windKmh: 12 };
      },
    }),
    defineTool({
      name: 'get_stock_price',
      description: 'Get the latest price of a stock by its ticker symbol.',
      parameters: z.object({ symbol: z.string().describe('ticker symbol, e.g. "ACME"') }),
      readOnly: true,
      async execute({ symbol }, { signal }) {
        await wait(BENCH_TOOL_LATENCY_MS.get_stock_price, signal);
        return { symbol, price: 187.32, currency: 'USD', change: '+1.2%' };
      },
    }),
  ];
}

/**
 * How an application would predict the bench tools' calls from a message, for the
 * `speculativeTools` optimization: a city after "weather ... in", a ticker symbol (2 to 10 capital
 * letters) after "stock" or "share". Plain patterns: a message they misread starts a call the
 * model does not make, which is discarded unseen.
 */
export function benchToolPredictors(): Record<'get_weather' | 'get_stock_price', ToolPredictor> {
  return {
    get_weather(message) {
      const city = /\bweather\b[^.?!]*?\b(?:in|for|at)\s+(\p{Lu}[\p{L}-]*(?:\s+\p{Lu}[\p{L}-]*)*)/u.exec(
        message,
      );
      return city ? { city: city[1] } : undefined;
    },
    get_stock_price(message) {
      const symbol = /\b(?:stock|share)s?\b[^.?!]*?\b([A-Z]{2,10})\b/.exec(message);
      return symbol ? { symbol: symbol[1] } : undefined;
    },
  };
}
