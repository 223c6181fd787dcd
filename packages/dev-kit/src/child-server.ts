import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** A server in a Node process of its own (a bench's simulator, proxy or app), started by {@link startChildServer}. */
export interface ChildServer {
  /** The URL it printed. */
  readonly url: string;
  readonly pid: number;
  /** Sends SIGTERM and resolves once it exited. */
  stop(): Promise<void>;
}

export interface ChildServerOptions {
  /** What its URL looks like on stdout; group 1 is the URL. Default: a line that is a URL alone. */
  urlPattern?: RegExp;
  /** Node's own flags, before the file (`['--import', 'tsx']` for a TypeScript file). */
  nodeFlags?: readonly string[];
  /** Fails when no URL came within this long. Default 20,000 ms. */
  timeoutMs?: number;
}

/**
 * Runs `node [nodeFlags] file args` and resolves once it prints its URL on stdout (its stderr goes
 * to this process's); rejects, naming the file and what it printed, when it exits first or prints
 * no URL within `timeoutMs`.
 */
export function startChildServer(
  file: string,
  args: readonly string[] = [],
  options: ChildServerOptions = {},
): Promise<ChildServer> {
  const pattern = options.urlPattern ?? /^(http:\/\/\S+)$/m;
  const timeoutMs = options.timeoutMs ?? 20_000;
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeFlags ?? []), file, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${file} ${why}; it printed: ${JSON.stringify(output)}`));
    };
    const timer = setTimeout(() => fail(`printed no URL within ${timeoutMs} ms`), timeoutMs);
    const onExit = (code: number | null) => fail(`exited (${code}) before it printed its URL`);
    child.once('exit', onExit);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = pattern.exec(output)?.[1];
      if (url === undefined) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      child.stdout?.removeAllListeners('data');
      child.stdout?.resume();
      resolve({
        url,
        pid: child.pid ?? 0,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

/** A line of `/proc/<pid>/status` in kB, as MiB (Linux). */
function statusMiB(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1]) / 1024;
}

/** A process's resident set now, in MiB (Linux: VmRSS). */
export function residentMiB(pid: number): number {
  return statusMiB(pid, 'VmRSS');
}

/** A process's largest resident set so far, in MiB (Linux: VmHWM). */
export function peakResidentMiB(pid: number): number {
  return statusMiB(pid, 'VmHWM');
}
