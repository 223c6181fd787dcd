import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const bin = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const children = new Set<ChildProcess>();

beforeAll(() => {
  // The bin is the built file; build it if this run has not yet.
  if (!existsSync(bin)) {
    execFileSync(
      process.execPath,
      [createRequire(import.meta.url).resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
      { cwd: packageDir },
    );
  }
}, 60_000);

afterEach(() => {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
});

function run(args: string[]) {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    });
  });
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const match = /^(http:\/\/\S+)\n/.exec(stdout);
      if (match?.[1]) resolve(match[1]);
    });
    void exited.then(() => reject(new Error(`exited before printing a URL: ${stderr}`)));
  });
  url.catch(() => {});
  return { child, url, exited, output: () => ({ stdout, stderr }) };
}

describe('lunar-ollama-sim', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('prints its URL, serves, and exits 0 on %s', async (signal) => {
    const sim = run(['--port', '0', '--profile', 'fast', '--parallel', '2']);
    const url = await sim.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await fetch(url).then((response) => response.text())).toBe('Ollama is running');
    const chat = await fetch(`${url}/api/chat`, {
      method: 'POST',
      body: JSON.stringify({
        model: 'llama3.2:3b',
        messages: [{ role: 'user', content: 'hi' }],
        stream: false,
      }),
    });
    expect(chat.status).toBe(200);
    sim.child.kill(signal);
    expect(await sim.exited).toEqual({ code: 0, signal: null });
  });

  it('prints help and exits 0', async () => {
    const sim = run(['--help']);
    expect((await sim.exited).code).toBe(0);
    expect(sim.output().stdout).toMatch(/^Usage: lunar-ollama-sim/);
  });

  it('exits 2 with the usage on a bad flag', async () => {
    const sim = run(['--port', 'many']);
    expect((await sim.exited).code).toBe(2);
    expect(sim.output().stderr).toContain('--port expects an integer from 0 to 65535, got "many"');
    expect(sim.output().stderr).toContain('Usage: lunar-ollama-sim');
  });
});
