import { waitFor } from '@lunar/dev-kit';
import { describe, expect, it } from 'vitest';
import { type CliProcess, cliEnv, runCli, startCli, startSim, tempDir } from './helpers.js';

/** The URL `lunar sim` prints on stdout, once it printed its banner on stderr too. */
async function printedUrl(run: CliProcess): Promise<string> {
  await waitFor(() => run.stdout().includes('\n') && run.stderr().includes('\n'), {
    events: [
      [run.child.stdout!, 'data'],
      [run.child.stderr!, 'data'],
    ],
    message: 'the URL and the banner',
  });
  return run.stdout().split('\n')[0]!;
}

describe('lunar sim', () => {
  it('serves the Ollama API in the foreground, prints its URL, and stops on Ctrl-C', async () => {
    const home = await tempDir();
    try {
      const run = startCli(['sim', '--port', '0', '--profile', 'fast'], { env: cliEnv(home.dir) });
      const url = await printedUrl(run);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const version = (await (await fetch(`${url}/api/version`)).json()) as { version: string };
      expect(version.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(run.stderr()).toContain('profile fast, 1 parallel');
      run.child.kill('SIGINT');
      const result = await run.exited;
      expect(result.code).toBe(0);
    } finally {
      await home.remove();
    }
  });

  it('serves --parallel requests per model at once', async () => {
    const home = await tempDir();
    try {
      const run = startCli(['sim', '--port', '0', '--profile', 'fast', '--parallel', '3'], {
        env: cliEnv(home.dir),
      });
      const url = await printedUrl(run);
      expect(run.stderr()).toContain('3 parallel');
      // Three generations that each hold their slot (stalled after their first line) all start:
      // with one slot, the second and third would wait for the first to end.
      const controller = new AbortController();
      const firstLine = async () => {
        const response = await fetch(`${url}/api/generate`, {
          method: 'POST',
          headers: { 'x-ollama-sim-fault': JSON.stringify({ type: 'stall', ms: 600_000, afterChunks: 1 }) },
          body: JSON.stringify({ model: 'llama3.2:3b', prompt: 'hi' }),
          signal: controller.signal,
        });
        const reader = response.body!.getReader();
        return (await reader.read()).done;
      };
      expect(await Promise.all([firstLine(), firstLine(), firstLine()])).toEqual([false, false, false]);
      controller.abort();
      run.child.kill('SIGINT');
      expect((await run.exited).code).toBe(0);
    } finally {
      await home.remove();
    }
  });

  it('says a taken port is in use, and rejects a bad --parallel with the usage', async () => {
    const home = await tempDir();
    const sim = await startSim();
    try {
      const taken = await runCli(['sim', '--port', String(sim.port)], { env: cliEnv(home.dir) });
      expect(taken.code).toBe(1);
      expect(taken.stderr).toContain(`Port ${sim.port} is in use`);
      const bad = await runCli(['sim', '--parallel', '0'], { env: cliEnv(home.dir) });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--parallel');
    } finally {
      await sim.close();
      await home.remove();
    }
  });
});
