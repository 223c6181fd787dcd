import { STAGE_NAMES } from '../profile/profile.js';
import {
  type AgentBenchmarkResult,
  type ConfigurationResult,
  type ModelBenchmark,
  medianTurn,
  SCENARIOS,
  type ScenarioName,
  summarise,
} from './agent-benchmark.js';
import type { TurnBound } from './lower-bound.js';
import { type StageSums, stageSums } from './stage-sums.js';

const ms = (value: number | undefined) =>
  value === undefined
    ? '-'
    : value < 10
      ? `${value.toFixed(1)} ms`
      : `${Math.round(value).toLocaleString('en-US')} ms`;
/** Below this, a duration is inside the noise of a real network and a real Ollama. */
const NOISE_MS = 1;
/** The goal for the first token: at most this times its lower bound. */
const BOUND_GOAL = 1.2;

/** The time `after` saves (or costs) over `before`, in ms. */
const saved = (before: number, after: number) => {
  const difference = before - after;
  return `${ms(Math.abs(difference))} ${difference >= 0 ? 'less' : 'more'}`;
};

/**
 * How much faster `after` is: a ratio when both sides are above the noise, else the time saved
 * (a ratio over a sub-millisecond denominator, "4,000x", tells a user nothing they will see).
 */
const ratio = (before: number, after: number) => {
  if (!(after > 0 && before > 0)) return '-';
  if (Math.min(before, after) < NOISE_MS) return saved(before, after);
  const value = before / after;
  return value >= 100 ? `${Math.round(value).toLocaleString('en-US')}x` : `${value.toFixed(1)}x`;
};

/** A repeat is served from the caches in a few ms: its gain is the time saved, never a ratio. */
const gain = (scenario: ScenarioName, before: number, after: number) =>
  scenario === 'repeat' ? saved(before, after) : ratio(before, after);

function stageOrder(label: string): number {
  const match = /^([a-z-]+)(?: #(\d+))?/.exec(label);
  const name = match?.[1] ?? label;
  const round = match?.[2] === undefined ? 0 : Number(match[2]);
  // Rounds in order; within a round, pipeline order. Stages before the rounds first, output guards last.
  if (name === 'output-guards') return 1e6;
  return round * 100 + STAGE_NAMES.indexOf(name as (typeof STAGE_NAMES)[number]);
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

/** Overlaps shorter than this are counted but not named: they print as 0.0 ms. */
const NAMED_OVERLAP_MS = 0.05;

function overlapNote(side: string, sums: StageSums): string | undefined {
  const named = sums.overlaps.filter((overlap) => overlap.ms >= NAMED_OVERLAP_MS);
  if (named.length === 0) return undefined;
  const pairs = named.map((overlap) => `${overlap.first} with ${overlap.second} ${ms(overlap.ms)}`);
  const rest = sums.overlaps.length - named.length;
  return `  ${side}: ${pairs.join('; ')}${rest > 0 ? ` (and ${rest} under ${NAMED_OVERLAP_MS} ms)` : ''}`;
}

export interface FormatBenchmarkOptions {
  /**
   * Say whether after / bound meets its goal (default true); false for a run whose figures mean
   * nothing (a short run, the `fast` profile).
   */
  judge?: boolean;
}

/** `1,234 ms = overhead 40 ms + ...`: what the bound is made of. */
export function describeBound(bound: TurnBound): string {
  const parts: Array<[string, number]> = [
    ['request overheads', bound.overheadMs],
    ['embedding the question', bound.embedMs],
    ['prefill of uncached prompt tokens', bound.prefillMs],
    ['tokens the model must write first', bound.writeMs],
    ['tools', bound.toolsMs],
  ];
  const shown = parts.filter(([, value]) => value > 0).map(([name, value]) => `${name} ${ms(value)}`);
  return `${ms(bound.totalMs)} = ${shown.join(' + ')}`;
}

/**
 * One scenario of one model, before and after: the stages of each side's median turn (by total),
 * which add up to its total (their sum, minus the rows that ran at once, plus the time in no
 * stage), then the medians of first token and total with the ratio, the lower bound of the first
 * token and `after / bound`, and notes naming the overlapping rows and what the bound is made of.
 */
export function formatScenario(
  result: ModelBenchmark,
  scenario: ScenarioName,
  options: FormatBenchmarkOptions = {},
): string {
  const before = result.before.turns[scenario];
  const after = result.after.turns[scenario];
  const beforeSums = stageSums(medianTurn(before));
  const afterSums = stageSums(medianTurn(after));
  const labels = [...new Set([...beforeSums.stages.keys(), ...afterSums.stages.keys()])].sort(
    (a, b) => stageOrder(a) - stageOrder(b),
  );
  const rows = [['stage (the median turn by total)', 'before', 'after', 'after vs before']];
  for (const label of labels) {
    rows.push([label, ms(beforeSums.stages.get(label)), ms(afterSums.stages.get(label)), '']);
  }
  const minus = (value: number) => (value > 0 ? `-${ms(value)}` : ms(0));
  rows.push(['stages added up', ms(beforeSums.sumMs), ms(afterSums.sumMs), '']);
  rows.push([
    'minus time counted twice (rows at once)',
    minus(beforeSums.overlapMs),
    minus(afterSums.overlapMs),
    '',
  ]);
  rows.push(['plus time in no stage', `+${ms(beforeSums.outsideMs)}`, `+${ms(afterSums.outsideMs)}`, '']);
  rows.push(['total of that turn', ms(beforeSums.totalMs), ms(afterSums.totalMs), '']);
  const b = summarise(before);
  const a = summarise(after);
  const count = `median of ${before.length}`;
  rows.push([
    `time to first token (${count})`,
    ms(b.firstTokenMs),
    ms(a.firstTokenMs),
    gain(scenario, b.firstTokenMs, a.firstTokenMs),
  ]);
  rows.push([`total (${count})`, ms(b.totalMs), ms(a.totalMs), gain(scenario, b.totalMs, a.totalMs)]);
  const bound = scenario === 'repeat' ? undefined : result.bounds[scenario]?.bound;
  if (bound) {
    const over = a.firstTokenMs / bound.totalMs;
    const verdict =
      bound.totalMs < NOISE_MS
        ? 'bound under 1 ms: no ratio'
        : `${over.toFixed(2)} (goal <= ${BOUND_GOAL}${options.judge === false ? ', not judged' : over <= BOUND_GOAL ? ', met' : ', not met'})`;
    rows.push(['lower bound of the first token', '', ms(bound.totalMs), '']);
    rows.push(['after / bound', '', verdict, '']);
  }
  rows.push(['Ollama calls', String(b.ollamaCalls), String(a.ollamaCalls), '']);
  const notes: string[] = [];
  const overlapLines = [overlapNote('before', beforeSums), overlapNote('after', afterSums)].filter(
    (line): line is string => line !== undefined,
  );
  if (overlapLines.length > 0)
    notes.push('Rows that ran at once (their shared time is counted twice above):', ...overlapLines);
  if (bound) notes.push(`Lower bound: ${describeBound(bound)}.`);
  else if (scenario === 'repeat')
    notes.push(
      'No lower bound: a repeat can be served from the caches without the model. Gains as time saved, not a ratio.',
    );
  else notes.push('No lower bound: the engine did not give its speeds (a real Ollama).');
  return `(${scenario}) ${SCENARIOS[scenario]}\n${table(rows)}\n${notes.join('\n')}`;
}

const firstToken = (configuration: ConfigurationResult) =>
  configuration.coldStart.timeToFirstTokenMs ?? configuration.coldStart.totalMs;
/** Time to ready (agent.warmup()) plus the first turn's first token. */
const readyAndFirstToken = (configuration: ConfigurationResult) =>
  configuration.warmupMs + firstToken(configuration);

/**
 * The first turn after the agent started: time to ready and the first token apart, then together,
 * with what each side paid for the loads.
 */
export function formatFirstTurn(result: ModelBenchmark, embedModel: string): string {
  const rows = [
    ['first turn after start', 'before', 'after', 'after vs before'],
    ['time to ready (agent.warmup())', ms(result.before.warmupMs), ms(result.after.warmupMs), ''],
    ['first token of the first turn', ms(firstToken(result.before)), ms(firstToken(result.after)), ''],
    [
      'ready + first token',
      ms(readyAndFirstToken(result.before)),
      ms(readyAndFirstToken(result.after)),
      ratio(readyAndFirstToken(result.before), readyAndFirstToken(result.after)),
    ],
  ];
  return [
    'First turn after start',
    table(rows),
    `Both sides start with ${embedModel} loaded (the memory store was filled with it) and ${result.model} not: before loads ${result.model} during its first turn; after loads it in agent.warmup(), before the first turn.`,
  ].join('\n');
}

/** What each optimization buys alone, on the first model: against everything off. */
export function formatOptimizations(result: ModelBenchmark): string {
  const scenarios = Object.keys(SCENARIOS) as ScenarioName[];
  const rows = [
    [
      'optimization alone',
      'ready + first token (first turn)',
      ...scenarios.map((scenario) => `(${scenario}) first token`),
      'total (tools)',
    ],
  ];
  const baseline = (scenario: ScenarioName) => summarise(result.before.turns[scenario]);
  const baselineCold = readyAndFirstToken(result.before);
  rows.push([
    'none (all off)',
    ms(baselineCold),
    ...scenarios.map((scenario) => ms(baseline(scenario).firstTokenMs)),
    ms(baseline('tools').totalMs),
  ]);
  const row = (name: string, configuration: ConfigurationResult) => {
    const cold = readyAndFirstToken(configuration);
    const ready = configuration.warmupMs > 0 ? ` (ready ${ms(configuration.warmupMs)})` : '';
    return [
      name,
      `${ms(cold)}${ready} (${ratio(baselineCold, cold)})`,
      ...scenarios.map((scenario) => {
        const summary = summarise(configuration.turns[scenario]);
        return `${ms(summary.firstTokenMs)} (${gain(scenario, baseline(scenario).firstTokenMs, summary.firstTokenMs)})`;
      }),
      ms(summarise(configuration.turns.tools).totalMs),
    ];
  };
  for (const configuration of result.alone) rows.push(row(configuration.name, configuration));
  rows.push(row('all on', result.after));
  return table(rows);
}

/** One model's report: the first turn, one table per scenario, then each optimization alone. */
export function formatModel(
  result: ModelBenchmark,
  embedModel: string,
  options: FormatBenchmarkOptions = {},
): string {
  const parts = [`## ${result.model}`, formatFirstTurn(result, embedModel)];
  for (const scenario of Object.keys(SCENARIOS) as ScenarioName[])
    parts.push(formatScenario(result, scenario, options));
  const { started, used } = result.after.speculation;
  if (started > 0)
    parts.push(
      `Speculative tool calls (after, every turn): ${used} of ${started} started before the model asked were the calls it then made (hit rate ${Math.round((100 * used) / started)}%); the others were aborted unseen.`,
    );
  if (result.alone.length > 0)
    parts.push(
      `Each optimization alone (first token against all off; ${result.alone[0]!.turns.text.length} turn(s) per scenario per optimization; a repeat as time saved)\n${formatOptimizations(result)}`,
    );
  return parts.join('\n\n');
}

/** The whole report: each model in turn, then a summary of `after / bound`. */
export function formatBenchmark(result: AgentBenchmarkResult, options: FormatBenchmarkOptions = {}): string {
  const parts = result.models.map((model) => formatModel(model, result.embedModel, options));
  const bounded = result.models.filter((model) => Object.keys(model.bounds).length > 0);
  if (bounded.length > 0) {
    const rows = [['model', 'scenario', 'after: first token', 'lower bound', 'after / bound']];
    for (const model of bounded) {
      for (const scenario of ['text', 'tools', 'follow-up'] as const) {
        const bound = model.bounds[scenario]?.bound;
        if (!bound) continue;
        const after = summarise(model.after.turns[scenario]).firstTokenMs;
        rows.push([
          model.model,
          scenario,
          ms(after),
          ms(bound.totalMs),
          bound.totalMs < NOISE_MS ? '-' : (after / bound.totalMs).toFixed(2),
        ]);
      }
    }
    parts.push(`## Against the lower bound (goal: after / bound <= ${BOUND_GOAL})\n${table(rows)}`);
  }
  return parts.join('\n\n');
}
