import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type OllamaSim, type OllamaSimOptions, startOllamaSim } from '@lunar/ollama-sim';
import { afterAll, beforeAll } from 'vitest';
import { CLI } from './cli-path.js';

export const MODEL = 'llama3.2:3b';

/** A running `lunar` process, with what it printed so far. */
export interface CliProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves when it exits (killed after `timeoutMs`, which fails the wait). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** The environment the CLI sees: no colours, no OLLAMA_HOST, no OTLP export, the data directory in `home`. */
export function cliEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NO_COLOR: '1',
    HOME: home,
    XDG_DATA_HOME: path.join(home, 'data'),
  };
  delete env.OLLAMA_HOST;
  delete env.FORCE_COLOR;
  delete env.OTEL_EXPORTER_OTLP_ENDPOINT;
  delete env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  return { ...env, ...extra };
}

/** util-linux `script`, which runs a command on a pseudo-terminal (for the TTY tests). */
export const HAS_SCRIPT = spawnSync('script', ['--version']).status === 0;

export interface CliOptions {
  env: NodeJS.ProcessEnv;
  input?: string;
  timeoutMs?: number;
  /** Run this program with `args` instead of the CLI (e.g. `script`). */
  command?: string;
}

export function startCli(args: string[], options: CliOptions): CliProcess {
  const [program, argv] = options.command ? [options.command, args] : [process.execPath, [CLI, ...args]];
  const child = spawn(program, argv, {
    env: options.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  if (options.input !== undefined) child.stdin!.end(options.input);
  const timeoutMs = options.timeoutMs ?? 20_000;
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `lunar ${args.join(' ')} did not exit within ${timeoutMs} ms.\nstdout: ${stdout}\nstderr: ${stderr}`,
        ),
      );
    }, timeoutMs);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Runs `lunar` to the end. */
export function runCli(args: string[], options: CliOptions) {
  return startCli(args, { input: '', ...options }).exited;
}

/** A fresh temporary directory, removed by the returned function. */
export async function tempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lunar-cli-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A simulator for one test file: fast, the chat model loaded. */
export function startSim(options: OllamaSimOptions = {}): Promise<OllamaSim> {
  return startOllamaSim({ profile: 'fast', preload: [MODEL], ...options });
}

/** Every JSON line of `text`, parsed. */
export function jsonLines(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** A temporary home for the tests of one file: `dir` is set before they run, removed after. */
export function useHome(): { readonly dir: string } {
  const home = { dir: '' };
  let remove: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const made = await tempDir();
    home.dir = made.dir;
    remove = made.remove;
  });
  afterAll(() => remove?.());
  return home;
}

/** A simulator for the tests of one file (see `startSim`), closed after them. */
export function useSim(options: OllamaSimOptions = {}): { readonly url: string; stats: OllamaSim['stats'] } {
  let sim: OllamaSim | undefined;
  beforeAll(async () => {
    sim = await startSim(options);
  });
  afterAll(() => sim?.close());
  return {
    get url() {
      return sim!.url;
    },
    stats: () => sim!.stats(),
  };
}
