import { benchShort, formatDuration, formatRatio, median, table, verdict } from '@lunar/dev-kit';
import { answerProblem, referenceToolCalls } from './answers.js';
import { FRAMEWORKS, type FrameworkName } from './frameworks.js';
import type { AskRecord, RunRecord } from './run.js';
import { SCENARIO_NAMES, SCENARIOS, type ScenarioName } from './scenario.js';
import { schemaKeywords } from './tools-sent.js';

/** Every run of one (model, profile), by framework. */
export interface CellResult {
  model: string;
  profile: string;
  runs: Map<FrameworkName, RunRecord[]>;
}

/** The first token Lunar must reach on the uncached tool turn, as a fraction of the best peer's. */
const FIRST_TOKEN_GOAL: Readonly<Record<string, number>> = { cpu: 0.8, gpu: 0.9 };

interface AskSummary {
  runs: number;
  firstTokenMs: number;
  firstTokenMin: number;
  firstTokenMax: number;
  totalMs: number;
  cpuMs: number;
  modelCalls: number;
  promptTokensPerCall: number;
  promptTokensEvaluated: number;
}

function summarise(asks: readonly AskRecord[]): AskSummary {
  const firstTokens = asks.map((ask) => ask.firstTokenMs ?? Number.NaN);
  return {
    runs: asks.length,
    firstTokenMs: median(firstTokens),
    firstTokenMin: Math.min(...firstTokens),
    firstTokenMax: Math.max(...firstTokens),
    totalMs: median(asks.map((ask) => ask.totalMs)),
    cpuMs: median(asks.map((ask) => ask.cpuMs)),
    modelCalls: median(asks.map((ask) => ask.modelCalls)),
    promptTokensPerCall: median(
      asks.map((ask) => (ask.modelCalls > 0 ? ask.promptTokens / ask.modelCalls : Number.NaN)),
    ),
    promptTokensEvaluated: median(asks.map((ask) => ask.promptTokensEvaluated)),
  };
}

function asks(runs: readonly RunRecord[], scenario: ScenarioName, which: 'first' | 'second'): AskRecord[] {
  return runs.flatMap((run) => {
    const record = run.scenarios[scenario];
    return record ? [record[which]] : [];
  });
}

const ms = (value: number) => (Number.isFinite(value) ? formatDuration(value) : '-');
const count = (value: number) => (Number.isFinite(value) ? String(Math.round(value)) : '-');

/** Lunar against the best peer: `0.93x (2.10 s against 2.26 s)`. */
function against(lunar: number, peer: number): string {
  return `${formatRatio(lunar / peer)} (${ms(lunar)} against ${ms(peer)})`;
}

/** The Markdown report of one (model, profile): the table, then the checks, ratios and caveats. */
export function formatCell(cell: CellResult, caveats: readonly string[]): string {
  const lines: string[] = [];
  const rows: string[][] = [];
  const problems: Array<{ scenario: ScenarioName; text: string }> = [];
  const references = new Map<ScenarioName, string>();
  for (const scenario of SCENARIO_NAMES) {
    const all = [...cell.runs.values()].flatMap((runs) => [
      ...asks(runs, scenario, 'first'),
      ...asks(runs, scenario, 'second'),
    ]);
    references.set(scenario, referenceToolCalls(all));
  }
  const summaries = new Map<string, { first: AskSummary; second: AskSummary }>();
  for (const [framework, runs] of cell.runs) {
    const entry = FRAMEWORKS[framework];
    const secondOnly = 'secondAskOnly' in entry && entry.secondAskOnly === true;
    for (const scenario of SCENARIO_NAMES) {
      const firsts = asks(runs, scenario, 'first');
      const seconds = asks(runs, scenario, 'second');
      if (firsts.length === 0) continue;
      const first = summarise(firsts);
      const second = summarise(seconds);
      summaries.set(`${framework}/${scenario}`, { first, second });
      const found = [...firsts, ...seconds]
        .map((ask) => answerProblem(ask, scenario, references.get(scenario) ?? ''))
        .filter((problem) => problem !== undefined);
      for (const problem of new Set(found))
        problems.push({ scenario, text: `${entry.label}, ${SCENARIOS[scenario].label}: ${problem}` });
      rows.push([
        entry.label,
        SCENARIOS[scenario].label,
        secondOnly ? '-' : ms(first.firstTokenMs),
        secondOnly ? '-' : ms(first.totalMs),
        secondOnly ? '-' : ms(first.cpuMs),
        ms(second.firstTokenMs),
        ms(second.totalMs),
        `${secondOnly ? '-' : count(first.modelCalls)} / ${count(second.modelCalls)}`,
        secondOnly ? '-' : count(first.promptTokensPerCall),
        secondOnly ? '-' : count(first.promptTokensEvaluated),
        found.length === 0 ? 'same' : 'DIFFERENT',
        String(first.runs),
      ]);
    }
  }
  lines.push(
    table(
      [
        'framework',
        'turn',
        'first token',
        'total',
        'CPU per turn',
        'second ask: first token',
        'second ask: total',
        'model calls (1st / 2nd ask)',
        'prompt tokens per call',
        'prompt tokens evaluated',
        'answer',
        'runs',
      ],
      rows,
    ),
  );
  lines.push('');
  for (const scenario of SCENARIO_NAMES) {
    const reference = references.get(scenario) || 'no tool';
    const rowsAgree = problems.every((problem) => problem.scenario !== scenario);
    lines.push(
      `- Answers, ${SCENARIOS[scenario].label}: ${rowsAgree ? "every row's" : "most rows'"} model called ${reference} and ended with a text.`,
    );
  }
  for (const problem of problems) lines.push(`- DIFFERENT: ${problem.text}.`);
  lines.push(...comparisons(cell, summaries), ...caveats.map((caveat) => `- ${caveat}`));
  return lines.join('\n');
}

function comparisons(
  cell: CellResult,
  summaries: Map<string, { first: AskSummary; second: AskSummary }>,
): string[] {
  const lines: string[] = [];
  const peers = [...cell.runs.keys()].filter((framework) => FRAMEWORKS[framework].peer);
  const lunar = (scenario: ScenarioName) => summaries.get(`lunar/${scenario}`)?.first;
  for (const scenario of SCENARIO_NAMES) {
    const mine = lunar(scenario);
    const ranked = peers
      .map((framework) => ({ framework, summary: summaries.get(`${framework}/${scenario}`)?.first }))
      .filter((peer): peer is { framework: FrameworkName; summary: AskSummary } => peer.summary !== undefined)
      .sort((left, right) => left.summary.firstTokenMs - right.summary.firstTokenMs);
    const best = ranked[0];
    if (mine === undefined || best === undefined) continue;
    lines.push(
      `- Lunar (every optimisation on) against the best peer on the ${SCENARIOS[scenario].label} turn ` +
        `(${FRAMEWORKS[best.framework].label}, by first token): first token ${against(mine.firstTokenMs, best.summary.firstTokenMs)}, ` +
        `total ${against(mine.totalMs, best.summary.totalMs)}, CPU per turn ${against(mine.cpuMs, best.summary.cpuMs)}. ` +
        `First token over the runs: Lunar ${ms(mine.firstTokenMin)} to ${ms(mine.firstTokenMax)}, ` +
        `the peer ${ms(best.summary.firstTokenMin)} to ${ms(best.summary.firstTokenMax)}.`,
    );
    const goal = FIRST_TOKEN_GOAL[cell.profile];
    if (scenario === 'tools' && goal !== undefined) {
      const ratio = mine.firstTokenMs / best.summary.firstTokenMs;
      lines.push(
        `- Goal: Lunar's first token on the uncached tool turn at most ${goal}x the best peer's: ${formatRatio(ratio)}, ${verdict(ratio <= goal)}.`,
      );
    }
    if (scenario === 'text') {
      // No slower: within the runs' own spread of the best peer (the noise of this machine).
      const tolerance = Math.max(1, best.summary.firstTokenMax - best.summary.firstTokenMin);
      lines.push(
        `- Goal: Lunar no slower than the best peer on the text turn (first token within ${ms(tolerance)}, the peer's spread over its runs): ${verdict(mine.firstTokenMs <= best.summary.firstTokenMs + tolerance)}.`,
      );
    }
  }
  const text = [...cell.runs.keys()]
    .map((framework) => ({
      framework,
      tokens: summaries.get(`${framework}/text`)?.first.promptTokensPerCall,
    }))
    .filter((row): row is { framework: FrameworkName; tokens: number } => Number.isFinite(row.tokens))
    .sort((left, right) => left.tokens - right.tokens);
  const leanest = text[0];
  if (leanest !== undefined) {
    lines.push(
      `- Prompt tokens of one call with tools offered (the text turn: system prompt, tools, question), as the simulator counts them: ${text
        .map(
          (row) =>
            `${FRAMEWORKS[row.framework].label} ${count(row.tokens)}` +
            (row.tokens > leanest.tokens ? ` (+${count(row.tokens - leanest.tokens)})` : ''),
        )
        .join(', ')}.`,
    );
  }
  lines.push(...toolsSentLine(cell));
  if (benchShort)
    lines.push(
      '- Short run (LUNAR_BENCH_SHORT=1): one run per row; no figure or verdict above means anything.',
    );
  return lines;
}

/** What each framework put in the request's `tools`: its size, and the keywords the leanest lacks. */
function toolsSentLine(cell: CellResult): string[] {
  const senders = new Map<string, string[]>();
  for (const [framework, runs] of cell.runs) {
    const json = runs.find((run) => run.toolsSent)?.toolsSent;
    if (json !== undefined) senders.set(json, [...(senders.get(json) ?? []), FRAMEWORKS[framework].label]);
  }
  const sent = [...senders].sort(([left], [right]) => left.length - right.length);
  const leanest = sent[0];
  if (leanest === undefined) return [];
  const lean = schemaKeywords(leanest[0]);
  const described = sent.map(([json, labels]) => {
    const extra = [...schemaKeywords(json)].filter((keyword) => !lean.has(keyword));
    const also = extra.length > 0 ? ` with ${extra.map((keyword) => `\`${keyword}\``).join(', ')}` : '';
    return `${labels.join(' and ')}: ${Buffer.byteLength(json)} bytes${also}`;
  });
  return [
    `- The request's \`tools\` as each framework sent them: ${described.join('; ')}. ` +
      "Ollama decodes each tool's parameters into its own struct (type, $defs, items, required, properties: " +
      'api/types.go) before its template renders them, so any other keyword costs no prompt token on Ollama; ' +
      'where the prompt tokens above differ by such keywords, the simulator rendered the tools as sent.',
  ];
}
