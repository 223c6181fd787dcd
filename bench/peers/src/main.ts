// Lunar against the frameworks a user would pick instead: the same turns, each framework in its own
// process against its own simulator. Run: pnpm --filter @lunar/bench-peers bench
// BENCH_MODELS, BENCH_PROFILES, BENCH_FRAMEWORKS (comma lists), BENCH_RUNS (default 5) and
// BENCH_CPU_RUNS (the cpu profile, default 2) choose the matrix; LUNAR_BENCH_SHORT=1 runs each row once,
// by default llama3.2:3b on the gpu profile only.
import { loadavg } from 'node:os';
import { benchShort, printBenchHeader } from '@lunar/dev-kit';
import { PROFILES, type ProfileName } from '@lunar/ollama-sim';
import {
  DEFAULT_FRAMEWORKS,
  FRAMEWORK_NAMES,
  FRAMEWORKS,
  type FrameworkName,
  isFrameworkName,
} from './frameworks.js';
import { type CellResult, formatCell } from './report.js';
import { type RunRecord, runOnce } from './run.js';
import { BENCH_TOOL_LATENCY_MS } from './scenario.js';

function list(name: string, fallback: string): string[] {
  const value = process.env[name] ?? fallback;
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.length === 0)
    throw new TypeError(`${name} must list at least one item, got ${JSON.stringify(value)}`);
  return items;
}

function runCount(name: string, fallback: number): number {
  if (benchShort) return 1;
  const value = process.env[name];
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 100) {
    throw new TypeError(`${name} must be a whole number from 1 to 100, got ${JSON.stringify(value)}`);
  }
  return parsed;
}

// A short run proves the harness still works: one model on one profile is enough for that.
const models = list('BENCH_MODELS', benchShort ? 'llama3.2:3b' : 'llama3.2:3b,qwen3:8b');
const profiles = list('BENCH_PROFILES', benchShort ? 'gpu' : 'gpu,cpu');
for (const profile of profiles) {
  if (!Object.hasOwn(PROFILES, profile)) {
    throw new TypeError(
      `BENCH_PROFILES names ${JSON.stringify(profile)}, not a simulator profile (${Object.keys(PROFILES).join(', ')})`,
    );
  }
}
const requested = list('BENCH_FRAMEWORKS', DEFAULT_FRAMEWORKS.join(','));
for (const name of requested) {
  if (!isFrameworkName(name)) {
    throw new TypeError(
      `BENCH_FRAMEWORKS names ${JSON.stringify(name)}; the rows are ${FRAMEWORK_NAMES.join(', ')}`,
    );
  }
}
// The table's order, whatever the order asked.
const frameworks = FRAMEWORK_NAMES.filter((name) => requested.includes(name));
const runs = runCount('BENCH_RUNS', 5);
// The cpu profile's turns are four to five times longer, and the runs' spread is the same few tens
// of ms: two runs there keep the whole matrix near 15 minutes.
const cpuRuns = runCount('BENCH_CPU_RUNS', 2);

function rowRuns(framework: FrameworkName, profile: string): number {
  const entry = FRAMEWORKS[framework];
  // Its second ask makes no model call, so the engine's speed does not change it: one run tells it.
  if ('secondAskOnly' in entry && entry.secondAskOnly) return 1;
  return profile === 'cpu' ? cpuRuns : runs;
}

function progress(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r${text.padEnd(78)}`);
}

async function runCell(model: string, profile: string): Promise<CellResult> {
  const records = new Map<FrameworkName, RunRecord[]>(frameworks.map((framework) => [framework, []]));
  const rounds = Math.max(...frameworks.map((framework) => rowRuns(framework, profile)));
  // Round by round, every framework in turn, so that all of them see the same machine.
  for (let round = 0; round < rounds; round++) {
    for (const framework of frameworks) {
      if (round >= rowRuns(framework, profile)) continue;
      progress(`  ${model} on ${profile}: run ${round + 1}/${rounds}, ${framework}`);
      records.get(framework)?.push(await runOnce(framework, { model, profile }));
    }
  }
  progress('');
  if (process.stderr.isTTY) process.stderr.write('\r');
  return { model, profile, runs: records };
}

printBenchHeader('Lunar against its peers');
console.log(
  `Tools: ${Object.entries(BENCH_TOOL_LATENCY_MS)
    .map(([name, latency]) => `${name} ${latency} ms`)
    .join(', ')}. Runs per row: ${runs} (cpu profile: ${cpuRuns}), medians.`,
);
const started = performance.now();
for (const profile of profiles) {
  for (const model of models) {
    const cellStarted = performance.now();
    const loadBefore = loadavg()[0] ?? 0;
    const cell = await runCell(model, profile);
    const loadAfter = loadavg()[0] ?? 0;
    const description = PROFILES[profile as ProfileName].description;
    console.log(`\n## ${model} on the simulator's \`${profile}\` profile\n`);
    console.log(
      formatCell(cell, [
        `The engine is Lunar's Ollama simulator, not Ollama: profile \`${profile}\` (${description}), its speeds and where they come from in @lunar/ollama-sim's README. Its model is scripted: the same question gets the same tool calls from every framework.`,
        "Each run: a fresh simulator (model loaded, empty prefix cache) and a fresh framework process; the framework warms up its own way (Lunar: `agent.warmup()`), then one throwaway text turn; then each turn, then the same question again in the same process (second ask), where caches may answer: Lunar's LLM cache, and the simulator's prefix cache for everyone.",
        "CPU per turn: the framework process's user + system CPU from the question to the turn's end (`process.cpuUsage`): the framework, its HTTP client, parsing, schema checks, the tools' timers and garbage collection; not the simulator (a process of its own), not the process's start.",
        "`cacheableTools` row: its first asks are not uncached turns by this table's rules, so only its second ask is shown, from one run (it makes no model call, so the engine's speed does not change it).",
        `Ratios are Lunar / peer on medians: under 1 Lunar is faster. A difference inside the runs' spread is noise. Measured on a shared machine: load ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after (${((performance.now() - cellStarted) / 1000).toFixed(0)} s).`,
      ]),
    );
  }
}
console.log(`\n(${((performance.now() - started) / 1000).toFixed(0)} s in all)`);
