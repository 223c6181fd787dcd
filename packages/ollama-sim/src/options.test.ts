import { describe, expect, it } from 'vitest';
import { resolveOptions } from './options.js';
import { PROFILES } from './profiles.js';
import type { OllamaSimOptions } from './types.js';

const bad = (options: unknown) => () => resolveOptions(options as OllamaSimOptions);

describe('resolveOptions', () => {
  it('fills the defaults', () => {
    const resolved = resolveOptions({});
    expect(resolved).toMatchObject({
      port: 0,
      host: '127.0.0.1',
      maxQueue: 512,
      keepAliveMs: 300_000,
      version: '0.33.0',
    });
    expect(resolved.models.map((model) => model.name)).toEqual([
      'llama3.2:3b',
      'qwen3:8b',
      'nomic-embed-text:latest',
    ]);
    expect(resolved.models[0]).toMatchObject({ parallel: 1, answerTokens: 24, embeddingDimensions: 768 });
  });

  it('layers profile, simulator and model latency', () => {
    const resolved = resolveOptions({
      profile: 'seed',
      latency: { loadMs: 5 },
      models: [{ name: 'a', latency: { tokensPerSecond: 7 }, parallel: 3 }],
    });
    expect(resolved.models[0]?.latency).toEqual({
      loadMs: 5,
      promptTokensPerSecond: 1000,
      tokensPerSecond: 7,
      overheadMs: 20,
      embedMsPerInput: 15,
    });
    expect(resolved.models[0]).toMatchObject({ name: 'a:latest', parallel: 3, answerTokens: 68 });
  });

  it('gives each model its own speeds: an 8B is slower than a 3B, a 137M embedding model loads fast', () => {
    for (const profile of ['fast', 'seed', 'gpu', 'cpu'] as const) {
      const [llama, qwen, nomic] = resolveOptions({ profile }).models;
      expect(llama?.latency).toMatchObject({
        loadMs: PROFILES[profile].loadMs,
        promptTokensPerSecond: PROFILES[profile].promptTokensPerSecond,
        tokensPerSecond: PROFILES[profile].tokensPerSecond,
      });
      expect(qwen?.latency.tokensPerSecond).toBeCloseTo(PROFILES[profile].tokensPerSecond * 0.45);
      expect(qwen?.latency.promptTokensPerSecond).toBeCloseTo(PROFILES[profile].promptTokensPerSecond * 0.39);
      expect(qwen?.latency.loadMs).toBeCloseTo(PROFILES[profile].loadMs * 2.6);
      expect(nomic?.latency.loadMs).toBeLessThan(PROFILES[profile].loadMs * 0.15);
    }
    // A model of a size of its own is estimated from it; the simulator's `latency` is not scaled.
    const [big] = resolveOptions({ profile: 'seed', models: [{ name: 'big', parameterSize: '32B' }] }).models;
    expect(big?.latency.promptTokensPerSecond).toBeCloseTo(100);
    const [pinned] = resolveOptions({
      profile: 'seed',
      latency: { tokensPerSecond: 50 },
      models: [{ name: 'qwen3:8b' }],
    }).models;
    expect(pinned?.latency.tokensPerSecond).toBe(50);
  });

  it.each([
    [{ port: -1 }, 'Expected `port` to be an integer from 0 to 65535, got -1'],
    [{ profile: 'turbo' }, 'Expected `profile` to be one of fast, seed, gpu, cpu, got "turbo"'],
    [{ parallel: 0 }, 'Expected `parallel` to be an integer from 1 to 1024, got 0'],
    [{ maxQueue: 1.5 }, 'Expected `maxQueue` to be an integer from 0 to 1000000, got 1.5'],
    [
      { latency: { tokensPerSecond: 0 } },
      'Expected `latency.tokensPerSecond` to be a number above 0 (Infinity allowed), got 0',
    ],
    [{ latency: { loadMs: -1 } }, 'Expected `latency.loadMs` to be a finite number >= 0, got -1'],
    [{ latency: { speed: 1 } }, 'Unknown option `latency.speed`'],
    [{ parralel: 2 }, 'Unknown option `parralel`; expected one of port, host'],
    [{ models: [{ name: 'a', temlate: 'qwen3' }] }, 'Unknown option `models[0].temlate`'],
    [
      { models: [{ name: 'a', template: 'mistral' }] },
      'Expected `models[0].template` to be one of llama3.2, qwen3, qwen2.5, got "mistral"',
    ],
    [{ keepAlive: '3600x' }, 'Invalid `keepAlive` "3600x": time: unknown unit "x" in duration "3600x"'],
    [{ models: [] }, 'Expected `models` to be a non-empty array, got []'],
    [{ models: [{ name: '' }] }, 'Expected `models[0].name` to be a non-empty string, got ""'],
    [
      { models: [{ name: 'a', capabilities: ['flying'] }] },
      'Expected `models[0].capabilities` to list some of',
    ],
    [{ models: [{ name: 'a' }, { name: 'a:latest' }] }, 'Duplicate model name "a:latest" in `models`'],
    [{ preload: ['mistral'] }, 'Expected `preload` to name known models, got "mistral"'],
    [{ script: 'yes' }, 'Expected `script` to be a function, got "yes"'],
    [
      { faults: [{ fault: { type: 'drop' } }] },
      'faults[0]: fault.afterChunks must be an integer >= 0 for "drop", got undefined',
    ],
    [{ embeddingDimensions: 0 }, 'Expected `embeddingDimensions` to be an integer from 1 to 65536, got 0'],
    [{ signal: {} }, 'Expected `signal` to be an AbortSignal, got {}'],
  ])('rejects %j with a TypeError', (options, message) => {
    expect(bad(options)).toThrow(TypeError);
    expect(bad(options)).toThrow(message);
  });
});
