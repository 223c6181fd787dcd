import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Child {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** Starts a child and resolves with the first `http://` URL it prints on stdout. */
function startChild(file: string, args: string[], pattern: RegExp, nodeFlags: string[] = []): Promise<Child> {
  const child: ChildProcess = spawn(process.execPath, [...nodeFlags, file, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`${file} did not start: ${output}`)), 15_000);
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}: ${output}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.removeAllListeners('data');
      child.stdout!.resume();
      resolve({
        url: match[1]!,
        pid: child.pid!,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

/** The simulator's own bin (`lunar-ollama-sim`) in its own process. */
export function startSimProcess(profile: string, parallel: number): Promise<Child> {
  const cli = path.join(path.dirname(require.resolve('@lunar/ollama-sim')), 'cli.js');
  const args = [
    '--port',
    '0',
    '--profile',
    profile,
    '--parallel',
    String(parallel),
    '--preload',
    'llama3.2:3b',
  ];
  return startChild(cli, args, /^(http:\/\/\S+)$/m);
}

/** The built `lunar-server` bin in its own process, in front of the Ollama hosts `ollamaHosts`, with `flags` (and Node's `nodeFlags`) added. */
export function startServerProcess(
  ollamaHosts: string | readonly string[],
  flags: string[] = [],
  nodeFlags: string[] = [],
): Promise<Child> {
  const bin = path.join(here, '..', 'dist', 'bin.js');
  const hosts = (typeof ollamaHosts === 'string' ? [ollamaHosts] : ollamaHosts).flatMap((host) => [
    '--ollama-host',
    host,
  ]);
  const args = ['--port', '0', ...hosts, '--log-level', 'info', ...flags];
  return startChild(bin, args, /"url":"(http:\/\/[^"]+)"/, nodeFlags);
}

/** A line of a process's `/proc/<pid>/status` in kB, as MiB (Linux). */
function statusMiB(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1]);
  return kib / 1024;
}

/** Peak resident set size of a process, in MiB (Linux: VmHWM). */
export function peakRssMiB(pid: number): number {
  return statusMiB(pid, 'VmHWM');
}

/** Resident set size of a process now, in MiB (Linux: VmRSS). */
export function rssMiB(pid: number): number {
  return statusMiB(pid, 'VmRSS');
}
