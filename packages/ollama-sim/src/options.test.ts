import { describe, expect, it } from 'vitest';
import { resolveOptions } from './options.js';
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
      answerTokens: 68,
      description: expect.any(String),
    });
    expect(resolved.models[0]).toMatchObject({ name: 'a:latest', parallel: 3, answerTokens: 68 });
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
