import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { defaultScript, type ScriptInput } from '@lunar/ollama-sim';
import { describe, expect, it } from 'vitest';
import { cliEnv, jsonLines, runCli, useHome, useSim } from './helpers.js';

// A clipboard write (OSC 52), a screen clear, an 8-bit CSI and a carriage return.
const EVIL = '\u001b]52;c;aGFja2Vk\u0007\u001b[2J\u009b31m\rEND';
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

// The scripted model starts every text answer with the escape sequences (and after a tool round it
// says what the tool returned, so a file's escape sequences can come back in the answer too).
const sim = useSim({
  script: (input: ScriptInput) => {
    const reply = defaultScript(input);
    return 'toolCalls' in reply ? reply : { ...reply, content: `${EVIL} ${reply.content}` };
  },
});
const home = useHome();

describe('escape sequences from the model, a file or a memory', () => {
  const chat = (...args: string[]) =>
    runCli(['chat', '--host', sim.url, '--memory', path.join(home.dir, 'memory.db'), ...args], {
      env: cliEnv(home.dir),
    });

  it('never reach the terminal: the answer, tool lines and the profile carry no control character', async () => {
    const allowed = path.join(home.dir, 'files');
    await mkdir(allowed, { recursive: true });
    await writeFile(path.join(allowed, 'evil.txt'), `file says ${EVIL}`);
    const result = await chat('--profile', '--allow-dir', allowed, 'Read the file "evil.txt".');
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(CONTROL);
    expect(result.stderr).not.toMatch(CONTROL);
    // What is left of the sequences is shown as text: the answer did arrive.
    expect(result.stdout).toMatch(/^\]52;c;aGFja2Vk\[2J31mEND read_file returned file says/);
    expect(result.stderr).toContain('← read_file ok in');
    expect(result.stderr).toContain('file says ]52;c;aGFja2Vk[2J31mEND');
  });

  it('--json keeps them in the data, escaped', async () => {
    const result = await chat('--json', 'Why is the sky blue?');
    expect(result.code).toBe(0);
    expect(result.stdout.replaceAll('\n', '')).not.toMatch(CONTROL);
    const done = jsonLines(result.stdout).find((event) => event.type === 'done');
    expect(String(done?.text).startsWith(`${EVIL} Simulated answer about`)).toBe(true);
  });

  it('a memory with escape sequences is recalled as plain text', async () => {
    const file = path.join(home.dir, 'memories.db');
    const env = cliEnv(home.dir);
    const remembered = await runCli(['remember', '--memory', file, '--host', sim.url, `note ${EVIL}`], {
      env,
    });
    expect(remembered.code).toBe(0);
    expect(remembered.stdout).toBe('Remembered mem_1: note ]52;c;aGFja2Vk[2J31mEND\n');
    const recalled = await runCli(['recall', '--memory', file, '--host', sim.url, 'note'], { env });
    expect(recalled.code).toBe(0);
    expect(recalled.stdout).toBe('mem_1  note ]52;c;aGFja2Vk[2J31mEND\n');
    const json = await runCli(['recall', '--json', '--memory', file, '--host', sim.url, 'note'], { env });
    expect(json.stdout.trimEnd()).not.toMatch(CONTROL);
    expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ text: `note ${EVIL}` })]);
  });
});
