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

interface Scenario {
  label: string;
  question: string;
  /** Tool calls the answer needs, in any order. */
  expectedToolCalls: number;
  /**
   * Asked in the conversation of that scenario's first ask, after the user typed it for
   * `TYPING_MS`; it has no second ask. Otherwise each ask is a conversation of its own.
   */
  follows?: 'tools';
}

/** In the order they are asked. */
export const SCENARIOS = {
  tools: {
    label: 'two tools',
    question: 'What is the weather in Paris and the stock price of ACME?',
    expectedToolCalls: 2,
  },
  'follow-up': {
    label: 'two tools, follow-up',
    question: 'And the weather in Tokyo and the stock price of GLOBEX?',
    expectedToolCalls: 2,
    follows: 'tools',
  },
  text: {
    label: 'text',
    question: 'How do ocean tides work?',
    expectedToolCalls: 0,
  },
} as const satisfies Record<string, Scenario>;

/**
 * How long the user takes to type a follow-up, the same for every framework: the time between the
 * answer and the next question, while what a framework started for it may run. Short for a person
 * (a 55-character question at 40 words a minute takes about 16 s).
 */
export const TYPING_MS = 3_000;
export type ScenarioName = keyof typeof SCENARIOS;

/** The scenario whose conversation `scenario` continues, if it is a follow-up. */
export function followed(scenario: ScenarioName): ScenarioName | undefined {
  const entry: Scenario = SCENARIOS[scenario];
  return entry.follows;
}

/** The conversation a scenario's first ask is in (a follow-up shares its predecessor's). */
export function conversationOf(scenario: ScenarioName): string {
  return followed(scenario) ?? scenario;
}
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
