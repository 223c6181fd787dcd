import { STAGE_NAMES } from '../profile/profile.js';
import {
  type AgentBenchmarkResult,
  type ConfigurationResult,
  SCENARIOS,
  type ScenarioName,
  stageMedians,
  summarise,
} from './agent-benchmark.js';

const ms = (value: number | undefined) =>
  value === undefined
    ? '-'
    : value < 10
      ? `${value.toFixed(1)} ms`
      : `${Math.round(value).toLocaleString('en-US')} ms`;
/** Below this, a duration is inside the noise of a real network and a real Ollama. */
const NOISE_MS = 1;

/**
 * How much faster `after` is: a ratio when both sides are above the noise, else the time saved
 * (a ratio over a sub-millisecond denominator, "4,000x", tells a user nothing they will see).
 */
const ratio = (before: number, after: number) => {
  if (!(after > 0 && before > 0)) return '-';
  if (Math.min(before, after) < NOISE_MS) {
    const saved = before - after;
    return `${ms(Math.abs(saved))} ${saved >= 0 ? 'less' : 'more'}`;
  }
  const value = before / after;
  return value >= 100 ? `${Math.round(value).toLocaleString('en-US')}x` : `${value.toFixed(1)}x`;
};

function stageOrder(label: string): number {
  const [name, round] = label.split(' #');
  const index = STAGE_NAMES.indexOf(name as (typeof STAGE_NAMES)[number]);
  const roundNumber = round === undefined ? 0 : Number(round);
  // Rounds in order; within a round, pipeline order. Stages before the rounds first, output guards last.
  if (name === 'output-guards') return 1e6;
  return roundNumber * 100 + index;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row, index) => {
      const line = row.map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!),
      );
      const text = `| ${line.join(' | ')} |`;
      return index === 0
        ? `${text}\n|${widths.map((width, column) => (column === 0 ? `-${'-'.repeat(width)}-` : `${'-'.repeat(width + 1)}:`)).join('|')}|`
        : text;
    })
    .join('\n');
}

/** The before/after table of one scenario: median per stage, first token, total, ratio. */
export function formatScenario(result: AgentBenchmarkResult, scenario: ScenarioName): string {
  const before = result.before.turns[scenario];
  const after = result.after.turns[scenario];
  const beforeStages = stageMedians(before);
  const afterStages = stageMedians(after);
  const labels = [...new Set([...beforeStages.keys(), ...afterStages.keys()])].sort(
    (a, b) => stageOrder(a) - stageOrder(b),
  );
  const rows = [['stage', 'before', 'after', 'ratio']];
  for (const label of labels) {
    rows.push([label, ms(beforeStages.get(label)), ms(afterStages.get(label)), '']);
  }
  const b = summarise(before);
  const a = summarise(after);
  rows.push([
    'time to first token',
    ms(b.firstTokenMs),
    ms(a.firstTokenMs),
    ratio(b.firstTokenMs, a.firstTokenMs),
  ]);
  rows.push(['total', ms(b.totalMs), ms(a.totalMs), ratio(b.totalMs, a.totalMs)]);
  rows.push(['Ollama calls', String(b.ollamaCalls), String(a.ollamaCalls), '']);
  return `(${scenario}) ${SCENARIOS[scenario]}\n${table(rows)}`;
}

/** What each optimization buys alone: first token and total against everything off. */
export function formatOptimizations(result: AgentBenchmarkResult): string {
  const rows = [
    [
      'optimization alone',
      'first turn after start',
      ...Object.keys(SCENARIOS).map((scenario) => `(${scenario}) first token`),
      'total (tools)',
    ],
  ];
  const coldStart = (configuration: ConfigurationResult) =>
    configuration.coldStart.timeToFirstTokenMs ?? configuration.coldStart.totalMs;
  const warmupNote = (configuration: ConfigurationResult) =>
    configuration.warmupMs > 0 ? ` + ${ms(configuration.warmupMs)} warmup at start` : '';
  const baselineCold = coldStart(result.before);
  const baseline = (scenario: ScenarioName) => summarise(result.before.turns[scenario]);
  rows.push([
    'none (all off)',
    ms(baselineCold),
    ...(Object.keys(SCENARIOS) as ScenarioName[]).map((scenario) => ms(baseline(scenario).firstTokenMs)),
    ms(baseline('tools').totalMs),
  ]);
  for (const configuration of result.alone) {
    const cold = coldStart(configuration);
    rows.push([
      configuration.name,
      `${ms(cold)} (${ratio(baselineCold, cold)})${warmupNote(configuration)}`,
      ...(Object.keys(SCENARIOS) as ScenarioName[]).map((scenario) => {
        const summary = summarise(configuration.turns[scenario]);
        return `${ms(summary.firstTokenMs)} (${ratio(baseline(scenario).firstTokenMs, summary.firstTokenMs)})`;
      }),
      ms(summarise(configuration.turns.tools).totalMs),
    ]);
  }
  const allOnCold = coldStart(result.after);
  rows.push([
    'all on',
    `${ms(allOnCold)} (${ratio(baselineCold, allOnCold)})${warmupNote(result.after)}`,
    ...(Object.keys(SCENARIOS) as ScenarioName[]).map((scenario) => {
      const summary = summarise(result.after.turns[scenario]);
      return `${ms(summary.firstTokenMs)} (${ratio(baseline(scenario).firstTokenMs, summary.firstTokenMs)})`;
    }),
    ms(summarise(result.after.turns.tools).totalMs),
  ]);
  return table(rows);
}

/** The whole report: one table per scenario, then each optimization alone when it was measured. */
export function formatBenchmark(result: AgentBenchmarkResult): string {
  const parts = (Object.keys(SCENARIOS) as ScenarioName[]).map((scenario) =>
    formatScenario(result, scenario),
  );
  if (result.alone.length > 0)
    parts.push(
      `Each optimization alone (first token, ratio against all off; ${result.alone[0]!.turns.text.length} turn(s) per scenario per optimization)\n${formatOptimizations(result)}`,
    );
  return parts.join('\n\n');
}
