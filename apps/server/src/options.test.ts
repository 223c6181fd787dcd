import { OllamaClient } from '@lunar/ollama-stream';
import { describe, expect, it } from 'vitest';
import { MAX_MODELS, resolveServerOptions } from './options.js';

describe('resolveServerOptions', () => {
  it('fills the safe defaults', () => {
    const options = resolveServerOptions({ ollamaHosts: ['127.0.0.1:11434'] });
    expect(options).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      bodyLimit: 1024 * 1024,
      graceMs: 10_000,
      maxTurns: 256,
      maxProxied: 256,
      model: 'llama3.2:3b',
      models: ['llama3.2:3b'],
      memory: ':memory:',
      memoryScope: 'default',
      modelOptions: { temperature: 0 },
      ollamaHosts: ['http://127.0.0.1:11434'],
      connections: 64,
      timeouts: { headersMs: 300_000, idleMs: 120_000, totalMs: 0 },
      requestTimeoutMs: 300_000,
      logger: false,
    });
  });

  it('takes the deadlines of Ollama calls and of client requests, refusing bad ones by name', async () => {
    expect(resolveServerOptions({ timeouts: { headersMs: 5_000 }, connections: 8 })).toMatchObject({
      timeouts: { headersMs: 5_000, idleMs: 120_000, totalMs: 0 },
      connections: 8,
    });
    expect(() => resolveServerOptions({ timeouts: { headersMs: -1 } })).toThrow(
      'Expected `timeouts.headersMs` to be an integer from 0 to 2147483647, got -1',
    );
    expect(() => resolveServerOptions({ timeouts: { firstTokenMs: 1 } as never })).toThrow(
      'Unknown option `timeouts.firstTokenMs`; known: headersMs, idleMs, totalMs',
    );
    expect(() => resolveServerOptions({ connections: 0 })).toThrow('`connections`');
    expect(() => resolveServerOptions({ requestTimeoutMs: 0 })).toThrow('`requestTimeoutMs`');
    const client = new OllamaClient({ host: '127.0.0.1:1' });
    expect(() => resolveServerOptions({ client, connections: 8 })).toThrow(
      'Pass either `client`, or `ollamaHosts`, `connections` and `timeouts`',
    );
    await client.close();
  });

  it('puts the default model first among the allowed ones', () => {
    expect(resolveServerOptions({ model: 'a', models: ['b', 'a', 'b'] }).models).toEqual(['a', 'b']);
  });

  it('throws a TypeError naming a bad option and its value', () => {
    expect(() => resolveServerOptions({ port: 70_000 })).toThrow(
      'Expected `port` to be an integer from 0 to 65535, got 70000',
    );
    expect(() => resolveServerOptions({ ollamaHosts: [] })).toThrow('`ollamaHosts`');
    expect(() => resolveServerOptions({ ollamaHosts: ['ftp://x'] })).toThrow('ollamaHosts[0]');
    expect(() => resolveServerOptions({ token: 'short' })).toThrow('at least 16 characters');
    expect(() => resolveServerOptions({ bodyLimit: 0 })).toThrow('`bodyLimit`');
    expect(() => resolveServerOptions({ memoryScope: '' })).toThrow(
      'Expected `memoryScope` to be a string of 1 to 128 characters, got ""',
    );
    expect(() => resolveServerOptions({ maxProxied: 0 })).toThrow(
      'Expected `maxProxied` to be an integer from 1 to 1000000, got 0',
    );
    expect(() =>
      resolveServerOptions({ models: Array.from({ length: MAX_MODELS + 1 }, (_, i) => `m${i}`) }),
    ).toThrow('`models`');
    expect(() => resolveServerOptions({ colour: 'blue' } as never)).toThrow('Unknown option `colour`');
    expect(() => resolveServerOptions({ llmCache: {} as never })).toThrow('`llmCache`');
  });

  it('takes a Redis URL and a replica id, refusing anything else by name', () => {
    const options = resolveServerOptions({ redis: 'redis://10.0.0.5:6379', replicaId: 'gpu-box-1' });
    expect(options).toMatchObject({ redis: 'redis://10.0.0.5:6379', replicaId: 'gpu-box-1' });
    expect(resolveServerOptions({}).redis).toBeUndefined();
    expect(resolveServerOptions({}).replicaId).toMatch(/^[\w.-]+-\d+-[0-9a-f]{6}$/);
    expect(resolveServerOptions({}).replicaId).not.toBe(resolveServerOptions({}).replicaId);
    expect(() => resolveServerOptions({ redis: 'http://10.0.0.5:6379' })).toThrow(
      'Expected `redis` to be a redis:// or rediss:// URL (redis://host:6379), got "http://10.0.0.5:6379"',
    );
    expect(() => resolveServerOptions({ redis: 'redis://user:secret@' })).toThrow('got "redis://***@"');
    expect(() => resolveServerOptions({ redis: 6379 as never })).toThrow('`redis`');
    expect(() => resolveServerOptions({ redis: 'redis://r:6379', cacheStore: {} as never })).toThrow(
      'Pass `redis`, or `llmCache` or `cacheStore`, not both',
    );
    expect(() => resolveServerOptions({ replicaId: 'a b' })).toThrow('`replicaId`');
    expect(() => resolveServerOptions({ replicaId: 'x'.repeat(129) })).toThrow('`replicaId`');
  });
});
