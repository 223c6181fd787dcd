import { waitFor } from '@lunar/dev-kit';
import type { CacheEntry } from '@lunar/llm-cache';
import { describe, expect, it } from 'vitest';
import { isLLMCacheRedisError, LLMCacheRedisError, RedisCacheStore } from '../src/index.js';
import { aLease, firstText, streamedEntry } from './fixtures.js';
import { commandCalls, useRedisServer } from './redis-fixture.js';

const redis = useRedisServer();

async function store(options: Partial<ConstructorParameters<typeof RedisCacheStore>[0]> = {}) {
  const created = new RedisCacheStore({ redis: redis.server.url, logger: false, ...options });
  redis.track(created);
  expect(await created.whenReady()).toBe(true);
  return created;
}

describe('RedisCacheStore', () => {
  it('stores an entry in Redis under the prefix, with the TTL on the Redis side', async () => {
    const writer = await store({ prefix: 'test:ttl:', local: false });
    const entry = streamedEntry('round trip');
    await writer.set('k1', entry, 60_000);
    const ttl = await redis.admin.pttl('test:ttl:entry:k1');
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(await redis.admin.keys('test:ttl:*')).toEqual(['test:ttl:entry:k1']);

    const reader = await store({ prefix: 'test:ttl:', local: false });
    expect(await reader.get('k1')).toEqual(entry);
    const other = await store({ prefix: 'test:other:', local: false });
    expect(await other.get('k1')).toBeUndefined();
  });

  it('lets an entry expire in Redis after its TTL', async () => {
    const writer = await store({ prefix: 'test:expire:', local: false });
    await writer.set('short', streamedEntry('short-lived'), 200);
    expect(firstText(await writer.get('short'))).toBe('short-lived 0');
    await waitFor(async () => (await redis.admin.exists('test:expire:entry:short')) === 0, {
      timeoutMs: 5000,
    });
    expect(await writer.get('short')).toBeUndefined();
  });

  it('answers a local hit without a round trip to Redis', async () => {
    const writer = await store({ prefix: 'test:local:' });
    const reader = await store({ prefix: 'test:local:' });
    await writer.set('k', streamedEntry('local'), 60_000);
    const before = await commandCalls(redis.admin, 'get');
    expect(firstText(await reader.get('k'))).toBe('local 0'); // from Redis, then kept locally
    const afterFirst = await commandCalls(redis.admin, 'get');
    for (let index = 0; index < 10; index++) expect(firstText(reader.get('k') as CacheEntry)).toBe('local 0'); // synchronous
    expect(afterFirst - before).toBe(1);
    expect(await commandCalls(redis.admin, 'get')).toBe(afterFirst);
    expect(reader.stats()).toMatchObject({
      localHits: 10,
      remoteHits: 1,
      misses: 0,
      entries: 1,
      state: 'ready',
    });
  });

  it('shares one round trip between identical reads in flight', async () => {
    const writer = await store({ prefix: 'test:coalesce:' });
    const reader = await store({ prefix: 'test:coalesce:' });
    await writer.set('k', streamedEntry('coalesced'), 60_000);
    const before = await commandCalls(redis.admin, 'get');
    const reads = await Promise.all(Array.from({ length: 10 }, () => reader.get('k')));
    expect(reads.every((entry) => entry?.chunks.length === 4)).toBe(true);
    expect((await commandCalls(redis.admin, 'get')) - before).toBe(1);
    expect(reader.stats().remoteHits).toBe(10);
  });

  it('bounds the local tier; an entry evicted there is read from Redis again', async () => {
    const writer = await store({ prefix: 'test:bound:', local: false });
    const reader = await store({ prefix: 'test:bound:', local: { maxEntries: 2 } });
    for (const key of ['a', 'b', 'c']) await writer.set(key, streamedEntry(key), 60_000);
    for (const key of ['a', 'b', 'c']) expect(firstText(await reader.get(key))).toBe(`${key} 0`);
    expect(reader.stats()).toMatchObject({ entries: 2, evictions: 1, remoteHits: 3 });
    expect(firstText(await reader.get('a'))).toBe('a 0'); // evicted locally, still in Redis
    expect(reader.stats()).toMatchObject({ remoteHits: 4, localHits: 0 });
  });

  it('gzips long entries in Redis and keeps short ones readable JSON', async () => {
    const writer = await store({ prefix: 'test:gzip:', local: false });
    const long = streamedEntry('a long streamed answer', 60);
    const short = streamedEntry('short', 1);
    await writer.set('long', long, 60_000);
    await writer.set('short', short, 60_000);
    const raw = await redis.admin.getBuffer('test:gzip:entry:long');
    expect([raw?.[0], raw?.[1]]).toEqual([0x1f, 0x8b]);
    expect(raw!.length).toBeLessThan(JSON.stringify(long).length / 4);
    expect(JSON.parse((await redis.admin.get('test:gzip:entry:short'))!)).toEqual(short);
    expect(await writer.get('long')).toEqual(long);
    expect(await writer.get('short')).toEqual(short);
  });

  it('treats a value that is not an entry as a miss and counts it', async () => {
    const errors: LLMCacheRedisError[] = [];
    const reader = await store({ prefix: 'test:invalid:', onError: (error) => errors.push(error) });
    await redis.admin.set('test:invalid:entry:k', '{"not":"an entry"}');
    expect(await reader.get('k')).toBeUndefined();
    expect(reader.stats()).toMatchObject({ misses: 1, errors: 1 });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(LLMCacheRedisError);
    expect(errors[0]).toMatchObject({
      code: 'LLM_CACHE_REDIS_INVALID_VALUE',
      message: 'k: the value is not a cache entry',
    });

    await redis.admin.set('test:invalid:entry:list', 'x');
    await redis.admin.del('test:invalid:entry:list');
    await redis.admin.rpush('test:invalid:entry:list', 'a');
    expect(await reader.get('list')).toBeUndefined(); // WRONGTYPE: an error reply, Redis stays ready
    expect(isLLMCacheRedisError(errors[1], 'LLM_CACHE_REDIS_COMMAND_FAILED')).toBe(true);
    expect(isLLMCacheRedisError(errors[1], 'LLM_CACHE_REDIS_INVALID_VALUE')).toBe(false);
    expect(reader.state).toBe('ready');
  });

  it('keeps an entry stored with an infinite TTL without expiry', async () => {
    const writer = await store({ prefix: 'test:forever:' });
    await writer.set('k', streamedEntry('forever'), Number.POSITIVE_INFINITY);
    expect(await redis.admin.pttl('test:forever:entry:k')).toBe(-1);
  });

  it("drops other replicas' local copies on delete, on a newer answer, and on clear", async () => {
    const a = await store({ prefix: 'test:coherent:' });
    const b = await store({ prefix: 'test:coherent:' });
    await redis.admin.set('test:untouched', 'x');
    for (const key of ['x', 'y', 'z']) await a.set(key, streamedEntry(key), 60_000);
    for (const key of ['x', 'y', 'z']) expect(firstText(await b.get(key))).toBe(`${key} 0`);
    expect(b.stats().entries).toBe(3);

    await a.delete('x');
    await waitFor(() => b.stats().entries === 2);
    expect(await b.get('x')).toBeUndefined();

    const newer = streamedEntry('newer answer');
    await a.set('y', newer, 60_000);
    await waitFor(() => b.stats().entries === 1);
    expect(await b.get('y')).toEqual(newer);

    await a.clear();
    await waitFor(() => b.stats().entries === 0);
    expect(await redis.admin.keys('test:coherent:entry:*')).toEqual([]);
    expect(await redis.admin.get('test:untouched')).toBe('x');
    expect(await b.get('z')).toBeUndefined();
  });

  it('takes a lock once, releases only its own, and releases what it holds on close', async () => {
    const a = await store({ prefix: 'test:lock:' });
    const b = await store({ prefix: 'test:lock:' });
    const lease = await a.acquire('k', 60_000);
    expect(lease).toMatchObject(aLease);
    expect(await b.acquire('k', 60_000)).toBeUndefined();
    expect(await redis.admin.pttl('test:lock:lock:k')).toBeLessThanOrEqual(10_000); // lockMs, not leaseMs
    await redis.admin.set('test:lock:lock:k', 'someone-else'); // the lock ran out and was taken
    await lease?.release();
    expect(await redis.admin.get('test:lock:lock:k')).toBe('someone-else');
    await redis.admin.del('test:lock:lock:k');

    expect(await a.acquire('held', 60_000)).toMatchObject(aLease);
    await a.close();
    expect(await redis.admin.exists('test:lock:lock:held')).toBe(0);
    expect(a.state).toBe('down');
  });

  it('ends a pending whenReady with false on close', async () => {
    const created = new RedisCacheStore({ redis: redis.server.url, logger: false });
    redis.track(created);
    let ready: boolean | undefined;
    const waiting = created.whenReady({ timeoutMs: 60_000 }).then((result) => {
      ready = result;
    });
    await created.close(); // before the connection is up
    await new Promise((resolve) => setImmediate(resolve));
    expect(ready).toBe(false);
    await waiting;
    expect(await created.whenReady({ timeoutMs: 60_000 })).toBe(false);
  });

  it('answers acquire with no lease once the answer is stored, so the caller is served it', async () => {
    const a = await store({ prefix: 'test:stored:' });
    const entry = streamedEntry('already there');
    await a.set('k', entry, 60_000);
    expect(await a.acquire('k', 60_000)).toBeUndefined();
    expect(await a.waitFor('k', { timeoutMs: 1000 })).toEqual(entry);
    expect(await redis.admin.exists('test:stored:lock:k')).toBe(0);
  });
});
