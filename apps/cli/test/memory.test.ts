import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, runCli, useHome, useSim } from './helpers.js';

const sim = useSim();
const home = useHome();

describe('remember, recall, forget', () => {
  // Eight `lunar` processes one after the other: a bound for a busy machine, not a speed.
  it('round trip on a memory file', { timeout: 90_000 }, async () => {
    const file = path.join(home.dir, 'nested', 'memory.db');
    const env = cliEnv(home.dir);
    const memoryCommand = (...args: string[]) =>
      runCli([...args, '--memory', file, '--host', sim.url], { env });

    const first = await memoryCommand('remember', 'My sister Ada lives in Lisbon.');
    expect(first).toMatchObject({ code: 0, stdout: 'Remembered mem_1: My sister Ada lives in Lisbon.\n' });
    const second = await memoryCommand('remember', '--json', 'The', 'boat', 'is', 'called', 'Petrel.');
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ id: 'mem_2', text: 'The boat is called Petrel.' });

    const recalled = await memoryCommand('recall', 'where does Ada live');
    expect(recalled.code).toBe(0);
    expect(recalled.stdout.split('\n')[0]).toBe('mem_1  My sister Ada lives in Lisbon.');
    const one = await memoryCommand('recall', '--json', '-k', '1', 'boat name');
    expect(JSON.parse(one.stdout)).toEqual([expect.objectContaining({ id: 'mem_2' })]);

    const forgot = await runCli(['forget', 'mem_1', '--memory', file], { env });
    expect(forgot).toMatchObject({ code: 0, stdout: 'Forgot mem_1.\n' });
    const after = await memoryCommand('recall', '--json', 'where does Ada live');
    expect((JSON.parse(after.stdout) as Array<{ id: string }>).map((memory) => memory.id)).toEqual(['mem_2']);

    const again = await runCli(['forget', 'mem_1', '--memory', file], { env });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`There is no memory mem_1 in ${file}`);
    const malformed = await runCli(['forget', 'seven', '--memory', file], { env });
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('id must look like "mem_42", got "seven"');
  });

  it('chat remembers through its remember tool, in the same file', async () => {
    const file = path.join(home.dir, 'chat.db');
    const env = cliEnv(home.dir);
    const told = await runCli(
      [
        'chat',
        '--host',
        sim.url,
        '--memory',
        file,
        '--json',
        'Remember that "the spare key is under the blue pot"',
      ],
      { env },
    );
    expect(told.code).toBe(0);
    expect(told.stdout).toContain('"type":"tool-result","round":1');
    const recalled = await runCli(['recall', '--host', sim.url, '--memory', file, 'spare key'], { env });
    expect(recalled.stdout).toBe('mem_1  the spare key is under the blue pot\n');
  });

  it('forget without a memory file says so', async () => {
    const file = path.join(home.dir, 'none.db');
    const result = await runCli(['forget', 'mem_1', '--memory', file], { env: cliEnv(home.dir) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`the memory file ${file} does not exist`);
  });
});
