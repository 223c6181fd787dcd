import { BENCH_TOOL_LATENCY_MS, benchTools } from '@lunar/agent/bench';

/**
 * The turns every framework runs, word for word: the same system prompt, questions, model options
 * and tools (names, descriptions, parameter schemas, latencies and results).
 */
export const SYSTEM_PROMPT =
  'You are a helpful assistant running on a local model. Answer briefly and plainly. When a question ' +
  'needs live data (weather, prices), call the matching tool rather than guessing, and use every tool ' +
  'result in your answer.';

/** The throwaway turn of the warm-up: a text question none of the measured turns asks. */
export const WARMUP_QUESTION = 'Hello! What can you help me with?';

export const SCENARIOS = {
  tools: {
    label: 'two tools',
    question: 'What is the weather in Paris and the stock price of ACME?',
    /** Tool calls the answer needs, in any order. */
    expectedToolCalls: 2,
  },
  text: {
    label: 'text',
    question: 'How do ocean tides work?',
    expectedToolCalls: 0,
  },
} as const;
export type ScenarioName = keyof typeof SCENARIOS;
export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];

/** Sent with every model call by every framework: deterministic answers, so they can be compared. */
export const TEMPERATURE = 0;

/** The stand-in tools of Lunar's own benchmark: get_weather (250 ms) and get_stock_price (400 ms). */
export const TOOLS = benchTools();
export { BENCH_TOOL_LATENCY_MS };

const NEVER = new AbortController().signal;

/**
 * Runs one of the tools for a peer framework: after its latency, its fixed result. The arguments
 * are as the framework hands them over (validated by its own schema, where it validates); `signal`
 * aborts the wait.
 */
export async function runTool(name: string, args: unknown, signal: AbortSignal = NEVER): Promise<unknown> {
  const tool = TOOLS.find((candidate) => candidate.name === name);
  if (tool === undefined) throw new Error(`No tool is called ${JSON.stringify(name)}`);
  return tool.execute(args as never, { signal, callId: name });
}
