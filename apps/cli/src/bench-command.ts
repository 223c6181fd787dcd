import {
  type AgentBenchmarkResult,
  AgentError,
  BENCH_TOOL_LATENCY_MS,
  type BenchmarkBackend,
  formatBenchmark,
  runAgentBenchmark,
} from '@lunar/agent';
import { probeOllama, requestedHost, withAdvice } from './backend.js';
import { DEFAULT_MODEL } from './chat-agent.js';
import { CliError, EXIT, UsageError } from './cli-error.js';
import { choiceFlag, integerFlag, parseFlags } from './flags.js';
import { interruptible } from './interruptible.js';
import { ProgressBar } from './progress-bar.js';
import { startSimChild } from './sim-child.js';
import { SIM_PROFILES } from './sim-profiles.js';
import type { Terminal } from './terminal.js';

export const BENCH_USAGE = `Usage: lunar bench [options]

Runs the same agent turns unoptimised (every switch off) and optimised (every switch on) and
prints, per scenario (a plain answer, a question needing two tools, that question again), the
median of each stage, the time to first token and the total, with the ratio. The simulator runs
in a child process, a fresh one per configuration. The tools are bench-only stand-ins with fixed
latencies (${Object.entries(BENCH_TOOL_LATENCY_MS)
  .map(([name, ms]) => `${name} ${ms} ms`)
  .join(', ')}).

Options:
  --profile <name>   simulator latency profile: seed, gpu, cpu, fast (default seed)
  --turns <n>        turns per scenario, 1 to 50 (default 3)
  --switches         also run each switch alone (the default)
  --no-switches      only before and after
  --host <url>       benchmark a running Ollama instead of the simulator (the same server
                     for every configuration, so cold starts cannot be controlled)
  --model <name>     model (default ${DEFAULT_MODEL})
  --json             print the raw figures as JSON
  -h, --help         show this help
`;

const OPTIONS = {
  profile: { type: 'string' },
  turns: { type: 'string' },
  switches: { type: 'boolean' },
  'no-switches': { type: 'boolean' },
  host: { type: 'string' },
  model: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function describeRun(result: AgentBenchmarkResult, against: string): string {
  const turns = result.turnsPerScenario;
  return [
    `Lunar benchmark: ${result.model} ${against}`,
    `${turns} turn${turns === 1 ? '' : 's'} per scenario (medians); ${result.memories.toLocaleString('en-US')} memories searched on every turn.`,
    'Before: every optimisation off. After: every one on.',
  ].join('\n');
}

function describeTools(result: AgentBenchmarkResult): string {
  const tools = Object.entries(result.toolLatencyMs)
    .map(([name, ms]) => `${name} ${ms} ms`)
    .join(', ');
  return `Tools: bench-only stand-ins with fixed latencies (${tools}; BENCH_TOOL_LATENCY_MS), not the chat tools.`;
}

function progressLabel(configuration: string): string {
  if (configuration === 'before') return 'before: every switch off';
  if (configuration === 'after') return 'after: every switch on';
  return `${configuration} alone`;
}

/** `lunar bench`. */
export async function benchCommand(args: readonly string[], terminal: Terminal): Promise<number> {
  const { values } = parseFlags(args, OPTIONS, false);
  if (values.switches && values['no-switches']) {
    throw new UsageError('--switches and --no-switches cannot be used together');
  }
  if (values.host !== undefined && values.profile !== undefined) {
    throw new UsageError('--profile picks a simulator profile; it does not apply with --host');
  }
  const profile = choiceFlag('--profile', values.profile, 'seed', SIM_PROFILES);
  const turns = integerFlag('--turns', values.turns, 3, 1, 50);
  const model = values.model ?? DEFAULT_MODEL;
  const host = values.host === undefined ? undefined : requestedHost(values.host, {});
  const bar = new ProgressBar(terminal.stderr);
  const notice = (line: string) => {
    bar.clear();
    terminal.stderr.write(`${terminal.style.dim(line)}\n`);
  };
  return interruptible(notice, async ({ signal }) => {
    try {
      let backend: () => Promise<BenchmarkBackend>;
      let against: string;
      if (host !== undefined) {
        const failure = await probeOllama(host, signal);
        if (failure !== undefined) {
          throw new CliError(
            'LUNAR_OLLAMA_UNREACHABLE',
            `Ollama does not answer at ${host} (from --host): ${withAdvice(failure)}`,
          );
        }
        backend = async () => ({ url: host, close: async () => {} });
        against = `on the Ollama at ${host}.\nThe same server serves every configuration, so cold starts cannot be controlled (the model may be loaded already).`;
      } else {
        backend = () => startSimChild(profile, signal);
        against = `on the simulator (profile "${profile}"), a fresh child process per configuration, each starting cold.`;
      }
      const started = performance.now();
      bar.start(host === undefined ? `starting the simulator (profile ${profile})` : 'starting');
      const result = await runAgentBenchmark({
        backend,
        turns,
        eachSwitch: values['no-switches'] !== true,
        model,
        signal,
        onProgress: (done, total, label) => bar.update(done, total, progressLabel(label)),
      });
      bar.clear();
      if (values.json) {
        terminal.stdout.write(`${JSON.stringify(result)}\n`);
        return EXIT.ok;
      }
      const seconds = ((performance.now() - started) / 1000).toFixed(0);
      terminal.stdout.write(
        `${describeRun(result, against)}\n\n${formatBenchmark(result)}\n\n${describeTools(result)}\nTook ${seconds} s.\n`,
      );
      return EXIT.ok;
    } catch (error) {
      if (error instanceof AgentError)
        throw new CliError(`LUNAR_BENCH_${error.code}`, error.message, { cause: error });
      throw error;
    } finally {
      bar.clear();
    }
  });
}
