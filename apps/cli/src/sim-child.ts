import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { BenchmarkEngine } from '@lunar/agent/bench';
import { embed, modelLatency, type ProfileName } from '@lunar/ollama-sim';
import { CliError } from './cli-error.js';

/** How long the child has to print its URL. */
const START_TIMEOUT_MS = 15_000;
/** Bytes of the child's stderr kept for an error message. */
const MAX_STDERR = 4_096;

/** The simulator's command line, `dist/cli.js` beside the module `@lunar/ollama-sim` resolves to. */
export function simCliPath(): string {
  return fileURLToPath(new URL('./cli.js', import.meta.resolve('@lunar/ollama-sim')));
}

/** Children still running; killed when this process exits, however it exits. */
const running = new Set<ChildProcess>();
let exitHook = false;

function killOnExit(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (exitHook) return;
  exitHook = true;
  process.once('exit', () => {
    for (const each of running) each.kill('SIGKILL');
  });
}

function firstLine(child: ChildProcess, signal: AbortSignal | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(
      () => fail(`it printed no URL within ${START_TIMEOUT_MS / 1000} s`),
      START_TIMEOUT_MS,
    );
    const done = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onError);
      child.off('exit', onExit);
      signal?.removeEventListener('abort', onAbort);
    };
    const fail = (why: string) => {
      done();
      reject(
        new CliError(
          'CLI_SIM_START',
          `The simulator did not start: ${why}.${stderr ? `\n${stderr.trim()}` : ''}`,
        ),
      );
    };
    const onData = (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const end = stdout.indexOf('\n');
      if (end === -1) return;
      done();
      resolve(stdout.slice(0, end).trim());
    };
    const onError = (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-MAX_STDERR);
    };
    const onExit = (code: number | null) => fail(`it exited with code ${code}`);
    const onAbort = () => {
      done();
      reject(signal?.reason);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onError);
    child.once('exit', onExit);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Starts the simulator in a child process (`node dist/cli.js --port 0 --profile <profile>`), reads
 * its URL from the first line it prints, and stops it on `close()`. Embeddings of the memories the
 * benchmark stores are computed here with the simulator's own function, without requests, and its
 * speeds per model (for the lower bounds) come from the simulator's own figures for the profile.
 */
export async function startSimChild(profile: ProfileName, signal?: AbortSignal): Promise<BenchmarkEngine> {
  signal?.throwIfAborted();
  const child = spawn(process.execPath, [simCliPath(), '--port', '0', '--profile', profile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  killOnExit(child);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  };
  try {
    const url = await firstLine(child, signal);
    child.stdout?.resume();
    child.stderr?.resume();
    return {
      url,
      close: stop,
      embedLocally: (texts) => texts.map((text) => embed(text)),
      latency: (model) => modelLatency(model, profile),
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
