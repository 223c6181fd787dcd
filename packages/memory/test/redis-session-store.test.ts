import { type RedisServer, redisServerAvailable, startRedisServer } from '@lunar/dev-kit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemoryError } from '../src/errors.js';
import { RedisSessionStore } from '../src/sessions/redis-session-store.js';

const available = redisServerAvailable('test/redis-session-store.test.ts (sessions in a real Redis)');

const turn = (n: number, size = 1) => [
  { role: 'user', content: `question ${n} ${'x'.repeat(size)}` },
  { role: 'assistant', content: `answer ${n}` },
];
const contents = (messages: Array<{ content: string }>) => messages.map((message) => message.content);

describe.runIf(available)('RedisSessionStore on a real Redis', () => {
  let redis: RedisServer;
  let raw: Redis;
  let prefixes = 0;
  const stores: RedisSessionStore[] = [];
  const open = async (options: Partial<ConstructorParameters<typeof RedisSessionStore>[0]> = {}) => {
    const store = new RedisSessionStore({ redis: redis.url, keyPrefix: `test${prefixes}:`, ...options });
    stores.push(store);
    expect(await store.whenReady(5_000)).toBe(true);
    return store;
  };

  beforeAll(async () => {
    redis = await startRedisServer();
    raw = new Redis(redis.url);
  });

  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    raw?.disconnect();
    await redis?.stop();
  });

  it('shares a session between two servers, so a conversation can move', async () => {
    prefixes++;
    const [a, b] = await Promise.all([open(), open()]);
    await a.append('s1', turn(1));
    await b.append('s1', turn(2));
    expect(contents(await a.messages('s1'))).toEqual([
      'question 1 x',
      'answer 1',
      'question 2 x',
      'answer 2',
    ]);
    expect(await b.messages('unknown')).toEqual([]);
  });

  it('keeps at most maxTurns and maxBytes, oldest first, and sets the time to live', async () => {
    prefixes++;
    const store = await open({ maxTurns: 3, maxBytes: 450, ttlMs: 60_000 });
    for (let n = 1; n <= 5; n++) await store.append('bounded', turn(n));
    expect(contents(await store.messages('bounded'))).toEqual([
      'question 3 x',
      'answer 3',
      'question 4 x',
      'answer 4',
      'question 5 x',
      'answer 5',
    ]);
    await store.append('bounded', turn(6, 250));
    // The big turn leaves room for one more before it.
    expect(contents(await store.messages('bounded'))).toEqual([
      'question 5 x',
      'answer 5',
      `question 6 ${'x'.repeat(250)}`,
      'answer 6',
    ]);
    const ttl = await raw.pttl(`test${prefixes}:bounded`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    // A turn larger than the bound alone is not kept.
    await store.append('huge', turn(1, 1_000));
    expect(await store.messages('huge')).toEqual([]);
    expect(await raw.exists(`test${prefixes}:huge`)).toBe(0);
  });

  it('forgets one session or all', async () => {
    prefixes++;
    const store = await open();
    await store.append('x', turn(1));
    await store.append('y', turn(2));
    await store.clear('x');
    expect(await store.messages('x')).toEqual([]);
    expect(await store.messages('y')).toHaveLength(2);
    await store.clear();
    expect(await store.messages('y')).toEqual([]);
  });

  it('answers from its own copy while Redis is away, says so once, and shares again once it is back', async () => {
    prefixes++;
    const errors: MemoryError[] = [];
    const a = await open({ onError: (error) => errors.push(error) });
    const b = await open();
    await a.append('outage', turn(1));
    await redis.kill();
    await a.append('outage', turn(2));
    expect(contents(await a.messages('outage'))).toEqual([
      'question 1 x',
      'answer 1',
      'question 2 x',
      'answer 2',
    ]);
    expect(errors.map((error) => error.code)).toEqual(['MEMORY_UNREACHABLE']);
    await redis.restart();
    await expect
      .poll(
        async () => {
          await a.append('after', turn(3));
          return contents(await b.messages('after'));
        },
        { timeout: 15_000 },
      )
      .toContain('question 3 x');
  }, 30_000);

  it('rejects bad options and a bad session id', async () => {
    expect(() => new RedisSessionStore({ redis: 'http://x' })).toThrow(
      /options.redis must be a redis:\/\/ URL/,
    );
    expect(() => new RedisSessionStore({ redis: redis.url, maxTurns: 0 })).toThrow(/options.maxTurns/);
    expect(() => new RedisSessionStore({ redis: redis.url, colour: 1 } as never)).toThrow(
      /unknown option "colour"/,
    );
    await expect((await open()).messages('')).rejects.toMatchObject({ code: 'MEMORY_INVALID_INPUT' });
  });
});
