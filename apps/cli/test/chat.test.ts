import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { waitFor } from '@lunar/dev-kit';
import { describe, expect, it } from 'vitest';
import { cliEnv, jsonLines, MODEL, runCli, startCli, useHome, useSim } from './helpers.js';

const sim = useSim();
const home = useHome();

const chat = (...args: string[]) => [
  'chat',
  '--ollama-host',
  sim.url,
  '--memory',
  path.join(home.dir, 'memory.db'),
  ...args,
];

describe('lunar chat', () => {
  it('one shot: prints the streamed answer on stdout, and the waterfall on stderr with --profile', async () => {
    const result = await runCli(chat('--profile', 'How do ocean tides work?'), { env: cliEnv(home.dir) });
    expect(result.stderr).not.toContain('simulator');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Simulated answer about .*tides/);
    expect(result.stdout.endsWith('\n')).toBe(true);
    expect(result.stderr).toMatch(/^ {2}stage +start +time +waterfall$/m);
    expect(result.stderr).toMatch(/^\* llm #1 /m);
    expect(result.stderr).toMatch(/first token .* total .* 1 Ollama call/);
  });

  it('--json prints every event as a JSON line: stages, then the text, then done', async () => {
    const result = await runCli(chat('--json', 'Why is the sky blue?'), { env: cliEnv(home.dir) });
    expect(result.code).toBe(0);
    const events = jsonLines(result.stdout);
    const types = events.map((event) => event.type);
    const firstText = types.indexOf('text-delta');
    expect(firstText).toBeGreaterThan(0);
    const stagesBefore = events
      .slice(0, firstText)
      .map((event) => (event.stage as { name: string } | undefined)?.name);
    expect(stagesBefore).toEqual(expect.arrayContaining(['input-guards', 'memory-search', 'build-prompt']));
    expect(types.slice(0, firstText).every((type) => type === 'stage')).toBe(true);
    expect(types.at(-1)).toBe('done');
    expect(types.filter((type) => type === 'done')).toHaveLength(1);
    const text = events
      .filter((event) => event.type === 'text-delta')
      .map((event) => event.text)
      .join('');
    expect(events.at(-1)!.text).toBe(text);
    expect(text).toMatch(/^Simulated answer about .*blue/);
  });

  it('calls two tools at once and shows them briefly on stderr', async () => {
    const result = await runCli(chat('Calculate "12 * (3 + 4)" and tell me the time in "Asia/Tokyo".'), {
      env: cliEnv(home.dir),
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('→ calculate {"expression":"12 * (3 + 4)"}');
    expect(result.stderr).toContain('→ current_time {"timezone":"Asia/Tokyo"}');
    expect(result.stderr).toMatch(/← calculate ok in .*"result":84/);
    expect(result.stdout).toMatch(
      /^calculate returned result 84\b.*\. current_time returned timezone Asia\/Tokyo/,
    );
  });

  it('the REPL answers each line of stdin in one session, then ends at EOF', async () => {
    const result = await runCli(chat('--json'), {
      env: cliEnv(home.dir),
      input: 'How do tides work?\n\nCalculate "6 * 7"\n',
    });
    expect(result.code).toBe(0);
    const done = jsonLines(result.stdout).filter((event) => event.type === 'done');
    expect(done).toHaveLength(2);
    expect(done[0]!.text).toMatch(/^Simulated answer about tides/);
    expect(done[1]!.text).toMatch(/^calculate returned result 42\b/);
    // The second question is asked with the first turn in its history.
    const prompts = jsonLines(result.stdout)
      .filter((event) => (event.stage as { name?: string } | undefined)?.name === 'build-prompt')
      .map((event) => (event.stage as { detail: { historyMessages: number } }).detail.historyMessages);
    expect(prompts[0]).toBe(0);
    expect(prompts[1]).toBeGreaterThan(0);
  });

  it('the REPL streams answers as text too', async () => {
    const result = await runCli(chat(), {
      env: cliEnv(home.dir),
      input: 'Why is grass green?\nWhat makes bread rise?\n',
    });
    expect(result.code).toBe(0);
    const answers = result.stdout.trim().split('\n');
    expect(answers).toHaveLength(2);
    expect(answers[0]).toMatch(/^Simulated answer about .*grass/);
    expect(answers[1]).toMatch(/^Simulated answer about .*bread/);
  });

  it('--allow-dir: read_file reads under the directory and refuses a path outside it', async () => {
    const allowed = path.join(home.dir, 'allowed');
    await mkdir(allowed, { recursive: true });
    await writeFile(path.join(allowed, 'notes.txt'), 'the launch is on Friday');
    await writeFile(path.join(home.dir, 'secret.txt'), 'the password is hunter2');
    const read = async (file: string) => {
      const result = await runCli(chat('--json', '--allow-dir', allowed, `Read the file "${file}".`), {
        env: cliEnv(home.dir),
      });
      expect(result.code).toBe(0);
      const results = jsonLines(result.stdout).filter((event) => event.type === 'tool-result');
      expect(results).toHaveLength(1);
      return { event: results[0]!, stdout: result.stdout };
    };
    const inside = await read('notes.txt');
    expect(inside.event).toMatchObject({ name: 'read_file', ok: true, output: 'the launch is on Friday' });
    const outside = await read('../secret.txt');
    expect(outside.event).toMatchObject({ name: 'read_file', ok: false });
    expect(outside.event.output).toContain('outside the allowed directory');
    expect(outside.stdout).not.toContain('hunter2');
  });

  it('without --allow-dir there is no read_file tool', async () => {
    const result = await runCli(chat('--json', 'Read the file "notes.txt".'), { env: cliEnv(home.dir) });
    expect(result.code).toBe(0);
    expect(jsonLines(result.stdout).some((event) => event.type === 'tool-call')).toBe(false);
  });

  it('a reader that goes away (`| head -1`) ends the CLI quietly', async () => {
    const run = startCli(chat('--json', 'How do tides work?'), { env: cliEnv(home.dir) });
    run.child.stdout!.once('data', () => run.child.stdout!.destroy());
    const result = await run.exited;
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('EPIPE');
  });

  it('an unreachable --host exits 1 with the address and what to do', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    const result = await runCli(['chat', '--host', `http://127.0.0.1:${port}`, 'hi'], {
      env: cliEnv(home.dir),
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`Ollama does not answer at http://127.0.0.1:${port} (from --host)`);
    expect(result.stderr).toContain('ollama serve');
    expect(result.stderr).not.toContain('simulator');
  });

  it('an unreachable OLLAMA_HOST exits 1 too (no simulator when a host was given)', async () => {
    const result = await runCli(['chat', 'hi'], { env: cliEnv(home.dir, { OLLAMA_HOST: '127.0.0.1:1' }) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Ollama does not answer at http://127.0.0.1:1 (from OLLAMA_HOST)');
  });

  it('a model the server lacks exits 1 with the pull command', async () => {
    const result = await runCli(chat('--model', 'nosuch:1b', 'hi'), { env: cliEnv(home.dir) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('ollama pull nosuch:1b');
  });
});

describe('Ctrl-C', () => {
  // Slow decoding: an answer streams for about 3 s, so it is still streaming when SIGINT arrives.
  const slow = useSim({
    latency: { tokensPerSecond: 25 },
    models: [
      { name: MODEL, capabilities: ['completion', 'tools'], answerTokens: 80 },
      { name: 'nomic-embed-text', capabilities: ['embedding'] },
    ],
  });

  it('mid-answer cancels the upstream request, and the CLI exits 130', async () => {
    const run = startCli(
      ['chat', '--host', slow.url, '--memory', path.join(home.dir, 'slow.db'), 'Tell me a long story.'],
      { env: cliEnv(home.dir) },
    );
    await waitFor(() => run.stdout().length > 20, {
      events: [[run.child.stdout!, 'data']],
      timeoutMs: 15_000,
      message: 'streamed text',
    });
    expect(slow.stats().clientDisconnects).toBe(0);
    run.child.kill('SIGINT');
    const result = await run.exited;
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('Cancelled');
    await waitFor(() => slow.stats().clientDisconnects === 1, {
      message: 'the simulator seeing the disconnect',
    });
    expect(slow.stats().generationsInFlight).toBe(0);
  });

  it('in the REPL, cancels the answer and goes on with the next question', async () => {
    const before = slow.stats().clientDisconnects;
    const run = startCli(['chat', '--host', slow.url, '--memory', path.join(home.dir, 'slow.db'), '--json'], {
      env: cliEnv(home.dir),
      input: 'Tell me a long story.\nCalculate "1 + 1"\n',
    });
    await waitFor(() => run.stdout().includes('"text-delta"'), {
      events: [[run.child.stdout!, 'data']],
      timeoutMs: 15_000,
      message: 'streamed text',
    });
    run.child.kill('SIGINT');
    const result = await run.exited;
    expect(result.code).toBe(0);
    const ends = jsonLines(result.stdout).filter((event) => event.type === 'error' || event.type === 'done');
    expect(ends.map((event) => event.type)).toEqual(['error', 'done']);
    expect(ends[0]).toMatchObject({ code: 'AGENT_ABORTED' });
    expect(ends[1]!.text).toMatch(/^calculate returned result 2\b/);
    await waitFor(() => slow.stats().clientDisconnects === before + 1, { message: 'the disconnect' });
  });
});
