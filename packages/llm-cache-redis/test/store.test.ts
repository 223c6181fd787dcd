import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisCacheStore } from '../src/index.js';
import { streamedEntry } from './fixtures.js';
import { commandCalls, type RedisServer, startRedisServer, until } from './redis-server.js';

let server: RedisServer;
let admin: Redis;
const stores: RedisCacheStore[] = [];

beforeAll(async () => {
  server = await startRedisServer();
  admin = server.admin();
});

afterAll(async () => {
  await server?.stop();
});

afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

async function store(options: Partial<ConstructorParameters<typeof RedisCacheStore>[0]> = {}) {
  const created = new RedisCacheStore({ redis: server.url, logger: false, ...options });
  stores.push(created);
  expect(await created.whenReady()).toBe(true);
  return created;
}

describe('RedisCacheStore', () => {
  it('stores an entry in Redis under the prefix, with the TTL on the Redis side', async () => {
    const writer = await store({ prefix: 'test:ttl:', local: false });
    const entry = streamedEntry('round trip');
    await writer.set('k1', entry, 60_000);
    const ttl = await admin.pttl('test:ttl:entry:k1');
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(await admin.keys('test:ttl:*')).toEqual(['test:ttl:entry:k1']);

    const reader = await store({ prefix: 'test:ttl:', local: false });
    expect(await reader.get('k1')).toEqual(entry);
    const other = await store({ prefix: 'test:other:', local: false });
    expect(await other.get('k1')).toBeUndefined();
  });

  it('lets an entry expire in Redis after its TTL', async () => {
    const writer = await store({ prefix: 'test:expire:', local: false });
    await writer.set('short', streamedEntry('short-lived'), 200);
    expect(await writer.get('short')).toBeDefined();
    await until(async () => (await admin.exists('test:expire:entry:short')) === 0, 5000);
    expect(await writer.get('short')).toBeUndefined();
  });

  it('answers a local hit without a round trip to Redis', async () => {
    const writer = await store({ prefix: 'test:local:' });
    const reader = await store({ prefix: 'test:local:' });
    await writer.set('k', streamedEntry('local'), 60_000);
    const before = await commandCalls(admin, 'get');
    expect(await reader.get('k')).toBeDefined(); // from Redis, then kept locally
    const afterFirst = await commandCalls(admin, 'get');
    for (let index = 0; index < 10; index++) expect(reader.get('k')).toBeDefined(); // synchronous
    expect(afterFirst - before).toBe(1);
    expect(await commandCalls(admin, 'get')).toBe(afterFirst);
    expect(reader.stats()).toMatchObject({
      localHits: 10,
      remoteHits: 1,
      misses: 0,
      entries: 1,
      state: 'ready',
    });
  });
});
