import { isOllamaSimError, startOllamaSim } from '@lunar/ollama-sim';
import { CliError, EXIT } from './cli-error.js';
import { choiceFlag, integerFlag, parseFlags } from './flags.js';
import { SIM_PROFILES } from './sim-profiles.js';
import type { Terminal } from './terminal.js';

export const SIM_USAGE = `Usage: lunar sim [options]

Runs the Ollama simulator in the foreground (same API as Ollama, scripted answers, realistic
timings) and prints its URL. Ctrl-C stops it. Point Lunar at it with --host or OLLAMA_HOST.

Options:
  --port <n>         port, 0 for any free one (default 11434, Ollama's own)
  --profile <name>   latency profile: seed, gpu, cpu, fast (default seed)
  --parallel <n>     requests each model serves at once, like OLLAMA_NUM_PARALLEL (default 1)
  -h, --help         show this help
`;

const OPTIONS = {
  port: { type: 'string' },
  profile: { type: 'string' },
  parallel: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `lunar sim`. */
export async function simCommand(args: readonly string[], terminal: Terminal): Promise<number> {
  const { values } = parseFlags(args, OPTIONS, false);
  const port = integerFlag('--port', values.port, 11434, 0, 65535);
  const profile = choiceFlag('--profile', values.profile, 'seed', SIM_PROFILES);
  const parallel = integerFlag('--parallel', values.parallel, 1, 1, 1024);
  let sim: Awaited<ReturnType<typeof startOllamaSim>>;
  try {
    sim = await startOllamaSim({ port, profile, parallel });
  } catch (error) {
    const inUse =
      isOllamaSimError(error, 'OLLAMA_SIM_LISTEN') &&
      (error.cause as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE';
    throw new CliError(
      'CLI_SIM_START',
      inUse
        ? `Port ${port} is in use (is Ollama running?). Pick another with --port, or 0 for any free one.`
        : `The simulator did not start: ${(error as Error).message}`,
      { cause: error },
    );
  }
  terminal.stdout.write(`${sim.url}\n`);
  terminal.stderr.write(
    `${terminal.style.dim(`Ollama simulator (profile ${profile}, ${parallel} parallel) on ${sim.url}. Try: lunar chat --host ${sim.url} "What is 6 * 7? calculate it". Ctrl-C stops it.`)}\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await sim.close();
  return EXIT.ok;
}
