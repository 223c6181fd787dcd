import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HashEmbedder } from '../src/hash-embedder.js';
import { SqliteMemoryStore } from '../src/sqlite/sqlite-memory-store.js';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const childScript = fileURLToPath(new URL('./sqlite-crash-child.ts', import.meta.url));
const embedder = new HashEmbedder({ dimensions: 64 });

let directory: string;
let path: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'lunar-memory-'));
  path = join(directory, 'memory.db');
});
afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

/** A raw connection to the same file, to look beneath the store. */
function rawConnection(): Database.Database {
  const db = new Database(path);
  sqliteVec.load(db);
  return db;
}

describe('SqliteMemoryStore on a file', () => {
  it('keeps memories, metadata and the dimension across close and reopen', async () => {
    const first = SqliteMemoryStore.open({ path, embedder });
    const memory = await first.add('The user is allergic to peanuts', {
      scope: 'health',
      metadata: { severity: 'high' },
    });
    await first.add('The user likes jazz');
    await first.close();

    const second = SqliteMemoryStore.open({ path, embedder });
    expect(second.dimensions).toBe(64);
    expect(await second.count()).toBe(2);
    expect(await second.get(memory.id)).toEqual(memory);
    expect((await second.search('peanuts allergy', { scope: 'health' }))[0]).toMatchObject({ id: memory.id });
    await second.close();
    expect(() => SqliteMemoryStore.open({ path, embedder, dimensions: 128 })).toThrow(
      /holds 64-dimension vectors, but options.dimensions has 128/,
    );
  });

  it('lets a second connection read what the first committed', async () => {
    const writer = SqliteMemoryStore.open({ path, embedder });
    const reader = SqliteMemoryStore.open({ path, embedder });
    const memory = await writer.add('shared between connections');
    expect(reader.dimensions).toBeUndefined();
    expect((await reader.search('shared connections'))[0]?.id).toBe(memory.id);
    expect(reader.dimensions).toBe(64);
    await writer.close();
    await reader.close();
  });

  it('rolls back every table when a write fails, and does not invalidate', async () => {
    const cache = { invalidate: vi.fn() };
    const store = SqliteMemoryStore.open({ path, embedder, cache });
    await store.add('fixes the dimension');
    cache.invalidate.mockClear();
    const raw = rawConnection();
    raw.exec(`CREATE TRIGGER poison AFTER INSERT ON memories WHEN NEW.text = 'poison'
              BEGIN SELECT RAISE(ABORT, 'poisoned row'); END`);
    await expect(store.addMany([{ text: 'healthy sibling' }, { text: 'poison' }])).rejects.toThrow(
      expect.objectContaining({
        code: 'MEMORY_STORAGE_FAILED',
        message: expect.stringMatching(/nothing was saved.*poisoned row/),
      }),
    );
    expect(cache.invalidate).not.toHaveBeenCalled();
    expect(await store.count()).toBe(1);
    expect(
      raw.prepare(`SELECT count(*) AS n FROM memory_fts WHERE memory_fts MATCH '"sibling"'`).get(),
    ).toEqual({ n: 0 });
    expect(raw.prepare('SELECT count(*) AS n FROM memory_vectors').get()).toEqual({ n: 1 });
    raw.close();
    await store.close();
  });

  it('refuses a file from a newer schema, and a path it cannot open', async () => {
    await SqliteMemoryStore.open({ path, embedder }).close();
    const raw = rawConnection();
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => SqliteMemoryStore.open({ path, embedder })).toThrow(
      expect.objectContaining({
        code: 'MEMORY_SCHEMA_UNSUPPORTED',
        message: expect.stringMatching(/schema version 99/),
      }),
    );
    expect(() => SqliteMemoryStore.open({ path: join(directory, 'missing', 'memory.db'), embedder })).toThrow(
      expect.objectContaining({ code: 'MEMORY_OPEN_FAILED' }),
    );
  });

  it('loses no acknowledged memory when the process is killed mid-run', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', childScript, path], {
      cwd: packageRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acknowledged: Array<{ id: string; index: number }> = [];
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    let pending = '';
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        pending += chunk;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          const [id = '', index = ''] = line.split(' ');
          acknowledged.push({ id, index: Number(index) });
        }
        if (acknowledged.length >= 40) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => reject(new Error(`child exited before being killed: ${stderr}`)));
    });
    expect(await exited).toBe('SIGKILL');

    const store = SqliteMemoryStore.open({ path, embedder });
    for (const { id, index } of acknowledged) {
      expect(await store.get(id)).toMatchObject({
        metadata: { index },
        scope: index % 2 === 0 ? 'even' : 'odd',
      });
    }
    const stored = await store.count();
    expect(stored).toBeGreaterThanOrEqual(acknowledged.length);
    await store.close();

    const raw = rawConnection();
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(raw.prepare('SELECT count(*) AS n FROM memory_vectors').get()).toEqual({ n: stored });
    expect(
      raw.prepare(`SELECT count(*) AS n FROM memory_fts WHERE memory_fts MATCH '"crash"'`).get(),
    ).toEqual({
      n: stored,
    });
    raw.close();
  }, 60_000);
});
