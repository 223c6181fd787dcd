import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { RedisCacheStore } from './redis-cache-store.js';

const url = 'redis://127.0.0.1:1';

describe('RedisCacheStore options', () => {
  it.each([
    [{ redis: 6379 }, 'Expected `redis` to be an ioredis client or a redis:// URL, got 6379'],
    [
      { redis: url, prefix: '' },
      'Expected `prefix` to be a non-empty string of at most 256 characters, got ""',
    ],
    [{ redis: url, local: true }, 'Expected `local` to be an object or false, got true'],
    [{ redis: url, local: { maxEntries: 0 } }, 'Expected `local.maxEntries` to be a positive integer, got 0'],
    [{ redis: url, local: { maxItems: 5 } }, 'Unknown option `local.maxItems`'],
    [{ redis: url, lockMs: 1.5 }, 'Expected `lockMs` to be a positive integer, got 1.5'],
    [{ redis: url, commandTimeoutMs: -1 }, 'Expected `commandTimeoutMs` to be a positive integer, got -1'],
    [{ redis: url, maxWaiters: Number.NaN }, 'Expected `maxWaiters` to be a positive integer, got NaN'],
    [{ redis: url, pollIntervalMs: '100' }, 'Expected `pollIntervalMs` to be a positive integer, got "100"'],
    [
      { redis: url, compressAboveBytes: -1 },
      'Expected `compressAboveBytes` to be a non-negative integer or Infinity, got -1',
    ],
    [{ redis: url, logger: {} }, 'Expected `logger` to have warn() and info() methods, or be false'],
    [{ redis: url, onError: 'log' }, 'Expected `onError` to be a function, got "log"'],
    [{ redis: url, ttl: 5 }, 'Unknown option `ttl`'],
  ])('rejects %o', (options, message) => {
    expect(() => new RedisCacheStore(options as never)).toThrow(TypeError);
    expect(() => new RedisCacheStore(options as never)).toThrow(message);
  });

  it('rejects a missing options object', () => {
    expect(() => new RedisCacheStore(undefined as never)).toThrow(
      'Expected `options` to be an object, got undefined',
    );
  });

  it('takes an ioredis client and leaves it open on close', async () => {
    const client = new Redis(url, { lazyConnect: true });
    const store = new RedisCacheStore({ redis: client, logger: false });
    await store.close();
    expect(client.status).toBe('wait'); // never connected, never closed by the store
  });

  it('validates whenReady options', async () => {
    const store = new RedisCacheStore({ redis: url, logger: false });
    expect(() => store.whenReady({ timeoutMs: 0 })).toThrow(
      'Expected `timeoutMs` to be a positive integer, got 0',
    );
    expect(await store.whenReady({ timeoutMs: 20 })).toBe(false);
    await store.close();
    expect(await store.whenReady()).toBe(false);
  });
});
