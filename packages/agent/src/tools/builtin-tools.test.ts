import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runTools, ToolRegistry, type ToolResult } from '@lunar/tools-parallel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calculatorTool, currentTimeTool, readFileTool } from './builtin-tools.js';

let root: string;
let allowed: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lunar-tools-'));
  allowed = path.join(root, 'allowed');
  await mkdir(path.join(allowed, 'notes'), { recursive: true });
  await writeFile(path.join(allowed, 'notes', 'todo.txt'), 'buy milk');
  await writeFile(path.join(allowed, 'big.txt'), 'x'.repeat(100));
  await writeFile(path.join(root, 'secret.txt'), 'top secret');
  await symlink(path.join(root, 'secret.txt'), path.join(allowed, 'escape.txt'));
  await symlink(path.join(allowed, 'notes', 'todo.txt'), path.join(allowed, 'inside-link.txt'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function call(registry: ToolRegistry, name: string, args: Record<string, unknown>) {
  const [result] = await runTools([{ function: { name, arguments: args } }], registry);
  return result as ToolResult & { value?: unknown };
}

describe('read_file', () => {
  const registry = () => new ToolRegistry([readFileTool({ allowDir: allowed, maxBytes: 50 })]);

  it('reads a file under the allowed directory, through an inner symlink too', async () => {
    expect(await call(registry(), 'read_file', { path: 'notes/todo.txt' })).toMatchObject({
      ok: true,
      value: 'buy milk',
    });
    expect(await call(registry(), 'read_file', { path: 'inside-link.txt' })).toMatchObject({
      ok: true,
      value: 'buy milk',
    });
  });

  it('refuses paths outside it, absolute paths out of it and symlink escapes', async () => {
    for (const requested of [
      '../secret.txt',
      path.join(root, 'secret.txt'),
      'notes/../../secret.txt',
      'escape.txt',
    ]) {
      const result = await call(registry(), 'read_file', { path: requested });
      expect(result.ok).toBe(false);
      expect(result.output).toMatch(/outside the allowed directory|leads outside/);
      expect(result.output).not.toContain('top secret');
    }
  });

  it('says when a file is missing or a directory, and cuts long files', async () => {
    expect((await call(registry(), 'read_file', { path: 'nope.txt' })).output).toMatch(/does not exist/);
    expect((await call(registry(), 'read_file', { path: 'notes' })).output).toMatch(/not a file/);
    const big = await call(registry(), 'read_file', { path: 'big.txt' });
    expect(big.value).toMatch(/^x{50}\n\[cut: the file is 100 bytes, shown 50\]$/);
  });
});

describe('current_time and calculate', () => {
  const fixed = new Date('2026-01-02T03:04:05Z');
  const registry = new ToolRegistry([currentTimeTool(() => fixed), calculatorTool()]);

  it('tells the time in a zone and refuses an unknown zone', async () => {
    const tokyo = await call(registry, 'current_time', { timezone: 'Asia/Tokyo' });
    expect(tokyo.value).toMatchObject({ timezone: 'Asia/Tokyo', iso: '2026-01-02T03:04:05.000Z' });
    expect((tokyo.value as { local: string }).local).toContain('12:04:05');
    const bad = await call(registry, 'current_time', { timezone: 'Mars/Olympus' });
    expect(bad.output).toMatch(/Unknown time zone "Mars\/Olympus"/);
  });

  it('calculates and reports a bad expression to the model', async () => {
    expect((await call(registry, 'calculate', { expression: '12 * (3 + 4)' })).value).toEqual({
      expression: '12 * (3 + 4)',
      result: 84,
    });
    expect((await call(registry, 'calculate', { expression: '1 / 0' })).output).toMatch(/division by zero/);
  });
});

describe('read_file on something that is not a file', () => {
  it('refuses a FIFO at once instead of hanging', async () => {
    const fifo = path.join(allowed, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const registry = new ToolRegistry([readFileTool({ allowDir: allowed })]);
    const result = await call(registry, 'read_file', { path: 'pipe' });
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/not a file/);
  });
});
