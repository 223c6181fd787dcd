import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startOllamaSim } from '@lunar/ollama-sim';
import { describe, expect, it } from 'vitest';
import { defaultTools, HashEmbedder, isAgentError, openEngine, SqliteMemoryStore } from '../src/index.js';
import { MODEL } from './helpers.js';

/** A loopback URL nothing listens on: a simulator's, closed. */
async function deadUrl(): Promise<string> {
  const sim = await startOllamaSim();
  await sim.close();
  return sim.url;
}

describe('openEngine', () => {
  it('uses Ollama at the default host when it answers, and asks it for models', async () => {
    const ollama = await startOllamaSim({ profile: 'fast', preload: [MODEL] });
    let simulators = 0;
    const engine = await openEngine({
      defaultHost: ollama.url,
      simulator: async () => {
        simulators += 1;
        return startOllamaSim();
      },
    });
    try {
      expect(engine).toMatchObject({ kind: 'ollama', hosts: [ollama.url] });
      expect(engine.probes[0]).toMatchObject({ host: ollama.url, ok: true });
      expect(simulators).toBe(0);
      expect(await engine.hasModel(MODEL)).toBe(true);
      expect(await engine.hasModel('no-such-model')).toBe(false);
      expect((await engine.client.version()).version).toBeTruthy();
    } finally {
      await engine.close();
      await ollama.close();
    }
  });

  it('starts the simulator it is given when no host is named and the default one is silent', async () => {
    const silent = await deadUrl();
    const engine = await openEngine({
      defaultHost: silent,
      simulator: () => startOllamaSim({ profile: 'fast' }),
    });
    const simulatorUrl = engine.hosts[0]!;
    expect(engine.kind).toBe('simulator');
    expect(engine.probes[0]).toMatchObject({
      host: silent,
      ok: false,
      error: { code: 'OLLAMA_UNREACHABLE' },
    });
    expect((await engine.client.version()).version).toBeTruthy();
    await engine.close();
    // close() stopped the simulator too.
    await expect(openEngine({ hosts: [simulatorUrl] })).rejects.toMatchObject({
      code: 'AGENT_OLLAMA_UNREACHABLE',
    });
  });

  it('never replaces a named host by the simulator: it must answer, unless told to keep it', async () => {
    const silent = await deadUrl();
    let simulators = 0;
    const simulator = async () => {
      simulators += 1;
      return startOllamaSim();
    };
    const failure = await openEngine({ hosts: [silent], hostsFrom: '--host', simulator }).catch(
      (error: unknown) => error,
    );
    expect(isAgentError(failure, 'AGENT_OLLAMA_UNREACHABLE')).toBe(true);
    expect(failure).toMatchObject({ host: silent });
    expect((failure as Error).message).toContain(`Ollama does not answer at ${silent} (from --host): `);
    const kept = await openEngine({ hosts: [silent], whenUnreachable: 'keep', simulator });
    expect(kept).toMatchObject({ kind: 'ollama', hosts: [silent] });
    await kept.close();
    expect(simulators).toBe(0);
    // Nothing named, nothing answering, no simulator to start: the same error.
    await expect(openEngine({ defaultHost: silent })).rejects.toMatchObject({
      code: 'AGENT_OLLAMA_UNREACHABLE',
    });
  });

  it('rejects bad options with a TypeError naming them', async () => {
    await expect(openEngine({ host: 'http://x:1' } as never)).rejects.toThrow(
      /openEngine: options: unknown option "host"; did you mean "hosts"\?/,
    );
    await expect(openEngine({ whenUnreachable: 'wait' } as never)).rejects.toThrow(/whenUnreachable/);
    await expect(openEngine({ hosts: ['ftp://x'] })).rejects.toThrow(TypeError);
  });
});

describe('defaultTools', () => {
  it('is current_time and calculate, then the memory tools and read_file when asked', async () => {
    expect(defaultTools().map((tool) => tool.name)).toEqual(['current_time', 'calculate']);
    const dir = await mkdtemp(path.join(tmpdir(), 'lunar-tools-'));
    const store = SqliteMemoryStore.open({ path: ':memory:', embedder: new HashEmbedder() });
    try {
      const tools = defaultTools({ memory: { store, scope: 'alice' }, allowDir: dir });
      expect(tools.map((tool) => tool.name)).toEqual([
        'current_time',
        'calculate',
        'remember',
        'recall',
        'read_file',
      ]);
      const remember = tools.find((tool) => tool.name === 'remember')!;
      await remember.execute(
        { text: 'Alice likes tea.' },
        { signal: new AbortController().signal, callId: 'c1' },
      );
      expect((await store.list({ scope: 'alice' })).map((memory) => memory.text)).toEqual([
        'Alice likes tea.',
      ]);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
