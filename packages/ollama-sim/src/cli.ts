#!/usr/bin/env node
/** `lunar-ollama-sim`: runs the simulator until SIGINT or SIGTERM. */
import { parseCliArgs, USAGE, UsageError } from './cli-args.js';
import { startOllamaSim } from './server.js';

async function main(): Promise<number> {
  let command: ReturnType<typeof parseCliArgs>;
  try {
    command = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`lunar-ollama-sim: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (command.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  let sim: Awaited<ReturnType<typeof startOllamaSim>>;
  try {
    sim = await startOllamaSim(command.options);
  } catch (error) {
    process.stderr.write(`lunar-ollama-sim: ${error instanceof Error ? error.message : String(error)}\n`);
    return error instanceof TypeError ? 2 : 1;
  }
  process.stdout.write(`${sim.url}\n`);
  process.stderr.write(
    `lunar-ollama-sim: Ollama simulator (profile ${command.options.profile}) listening on ${sim.url}\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await sim.close();
  return 0;
}

process.exitCode = await main();
