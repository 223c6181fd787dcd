import { isAgentError } from '@lunar/agent';
import {
  type AgentBenchmarkResult,
  BENCH_MODELS,
  BENCH_TOOL_LATENCY_MS,
  type BenchmarkEngine,
  formatBenchmark,
  runAgentBenchmark,
} from '@lunar/agent/bench';
import { CliError, EXIT, UsageError } from './cli-error.js';
import { connectEngine, HOST_OPTIONS, requestedHost } from './engine.js';
import { choiceFlag, integerFlag, parseFlags } from './flags.js';
import { interruptible } from './interruptible.js';
import { ProgressBar } from './progress-bar.js';
import { startSimChild } from './sim-child.js';
import { SIM_PROFILES } from './sim-profiles.js';
import type { Terminal } from './terminal.js';

export const BENCH_USAGE = `Usage: lunar bench [options]

Runs the same agent turns unoptimised (every optimization off) and optimised (every one on) on
each model and prints, per model: the first turn after start (time to ready and first token
apart), then per scenario (a plain answer, a question needing two tools, that question again) the
stages of the median turn, which add up to its total (the rows that ran at once are named), the
medians of first token and total with the ratio (a repeat as time saved), the lower bound of the
first token the simulator's speeds allow and after / bound (goal <= 1.2); then each optimization
alone on the first model. The simulator runs in a child process, a fresh one per configuration.
The tools are bench-only stand-ins with fixed latencies (${Object.entries(BENCH_TOOL_LATENCY_MS)
  .map(([name, ms]) => `${name} ${ms} ms`)
  .join(', ')}).

Options:
  --profile <name>          simulator latency profile: seed, gpu, cpu, fast (default seed)
  --turns <n>               turns per scenario, 1 to 50 (default 3)
  --each-optimization       also run each optimization alone (the default)
  --no-each-optimization    only before and after
                            (--switches and --no-switches are their older names)
  --ollama-host <url>       benchmark a running Ollama instead of the simulator (the same
                            server for every configuration, so cold starts cannot be
                            controlled); --host is its older name
  --model <name>            a model to run; repeat for several (default ${BENCH_MODELS.join(' and ')})
  --json                    print the raw figures as JSON
  -h, --help                show this help
`;

const OPTIONS = {
  profile: { type: 'string' },
  turns: { type: 'string' },
  'each-optimization': { type: 'boolean' },
  'no-each-optimization': { type: 'boolean' },
  switches: { type: 'boolean' },
  'no-switches': { type: 'boolean' },
  ...HOST_OPTIONS,
  model: { type: 'string', multiple: true },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function describeRun(result: AgentBenchmarkResult, against: string): string {
  const turns = result.turnsPerScenario;
  return [
    `Lunar benchmark: ${result.models.map((model) => model.model).join(' and ')} ${against}`,
    `${turns} turn${turns === 1 ? '' : 's'} per scenario (medians); ${result.memories.toLocaleString('en-US')} memories searched on every turn.`,
    'Before: every optimization off. After: every one on.',
  ].join('\n');
}

function describeTools(result: AgentBenchmarkResult): string {
  const tools = Object.entries(result.toolLatencyMs)
    .map(([name, ms]) => `${name} ${ms} ms`)
    .join(', ');
  return `Tools: bench-only stand-ins with fixed latencies (${tools}; BENCH_TOOL_LATENCY_MS), not the chat tools.`;
}

/** `lunar bench`. */
export async function benchCommand(args: readonly string[], terminal: Terminal): Promise<number> {
  const { values } = parseFlags(args, OPTIONS, false);
  const each = values['each-optimization'] ?? values.switches;
  const noEach = values['no-each-optimization'] ?? values['no-switches'];
  if (each && noEach) {
    throw new UsageError('--each-optimization and --no-each-optimization cannot be used together');
  }
  // The environment's OLLAMA_HOST does not apply: the benchmark runs on the simulator unless told.
  const requested = requestedHost(values, {});
  if (requested !== undefined && values.profile !== undefined) {
    throw new UsageError(`--profile picks a simulator profile; it does not apply with ${requested.from}`);
  }
  const profile = choiceFlag('--profile', values.profile, 'seed', SIM_PROFILES);
  const turns = integerFlag('--turns', values.turns, 3, 1, 50);
  const models = values.model ?? BENCH_MODELS;
  const bar = new ProgressBar(terminal.stderr);
  const notice = (line: string) => {
    bar.clear();
    terminal.stderr.write(`${terminal.style.dim(line)}\n`);
  };
  return interruptible(notice, async ({ signal }) => {
    try {
      let engine: () => Promise<BenchmarkEngine>;
      let against: string;
      if (requested !== undefined) {
        // The named Ollama must answer now; the benchmark's own clients talk to it afterwards.
        const { host } = requested;
        await (await connectEngine(requested, signal)).close();
        engine = async () => ({ url: host, close: async () => {} });
        against = `on the Ollama at ${host}.\nThe same server serves every configuration, so cold starts cannot be controlled (the model may be loaded already).`;
      } else {
        engine = () => startSimChild(profile, signal);
        against = `on the simulator (profile "${profile}"), a fresh child process per configuration, each starting cold.`;
      }
      const started = performance.now();
      bar.start(requested === undefined ? `starting the simulator (profile ${profile})` : 'starting');
      const result = await runAgentBenchmark({
        engine,
        turns,
        eachOptimization: noEach !== true,
        models,
        signal,
        onProgress: (done, total, label) => bar.update(done, total, label),
      });
      bar.clear();
      if (values.json) {
        terminal.stdout.write(`${JSON.stringify(result)}\n`);
        return EXIT.ok;
      }
      const seconds = ((performance.now() - started) / 1000).toFixed(0);
      terminal.stdout.write(
        `${describeRun(result, against)}\n\n${formatBenchmark(result, { judge: profile !== 'fast' })}\n\n${describeTools(result)}\nTook ${seconds} s.\n`,
      );
      return EXIT.ok;
    } catch (error) {
      if (isAgentError(error)) throw new CliError('CLI_BENCH_FAILED', error.message, { cause: error });
      throw error;
    } finally {
      bar.clear();
    }
  });
}
