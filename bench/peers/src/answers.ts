import type { AskedToolCall } from './framework.js';
import type { AskRecord } from './run.js';
import { SCENARIOS, type ScenarioName } from './scenario.js';

/** The tool calls of an answer in a canonical form: sorted, arguments with sorted keys. */
export function toolCallsKey(calls: readonly AskedToolCall[]): string {
  return calls
    .map((call) => `${call.name} ${canonicalJson(call.arguments)}`)
    .sort()
    .join(', ');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([left], [right]) => left.localeCompare(right));
    return `{${entries.map(([key, child]) => `${JSON.stringify(key)}:${canonicalJson(child)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/**
 * What is wrong with an answer, or undefined when it is the expected one: the tool calls every
 * framework made (`reference`), as many as the scenario needs, and a final text.
 */
export function answerProblem(ask: AskRecord, scenario: ScenarioName, reference: string): string | undefined {
  const key = toolCallsKey(ask.toolCalls);
  if (ask.toolCalls.length !== SCENARIOS[scenario].expectedToolCalls) {
    return `${ask.toolCalls.length} tool calls (${key || 'none'}), expected ${SCENARIOS[scenario].expectedToolCalls}`;
  }
  if (key !== reference) return `tool calls ${key}, the others ${reference}`;
  if (ask.text.trim() === '') return 'no final text';
  return undefined;
}

/** The tool calls most answers of a scenario made: what every framework is checked against. */
export function referenceToolCalls(asks: readonly AskRecord[]): string {
  const counts = new Map<string, number>();
  for (const ask of asks) {
    const key = toolCallsKey(ask.toolCalls);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let best = '';
  let bestCount = -1;
  for (const [key, count] of counts) {
    if (count > bestCount) [best, bestCount] = [key, count];
  }
  return best;
}
