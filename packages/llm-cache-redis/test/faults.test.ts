import { waitFor } from '@lunar/dev-kit';
import { LLMCache } from '@lunar/llm-cache';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import {
  type LLMCacheRedisError,
  RedisCacheStore,
  type RedisCacheStoreOptions,
  type RedisState,
  redisClientOptions,
} from '../src/index.js';
import { CountingUpstream, chatRequest, streamedEntry } from './fixtures.js';
import { recordingLogger, useRedisServer } from './redis-fixture.js';

const redis = useRedisServer();

async function replica(options: Partial<RedisCacheStoreOptions> = {}) {
  const logger = recordingLogger();
  const store = new RedisCacheStore({ redis: redis.server.url, prefix: 'faults:', logger, ...options });
  redis.track(store);
  expect(await store.whenReady({ timeoutMs: 10_000 })).toBe(true);
  const states: RedisState[] = [];
  store.onStateChange((state) => states.push(state));
  return { store, logger, states, cache: new LLMCache({ store, joinTimeoutMs: 5000 }) };
}

let question = 0;
const nextRequest = () => chatRequest(`faults ${++question}`);

describe('Redis faults', () => {
  it('serves every call while Redis is killed mid-run, logs it once, and shares again after a restart', async () => {
    const a = await replica();
    const b = await replica();
    const upstream = new CountingUpstream(10);
    const failures: unknown[] = [];
    let served = 0;
    let running = true;
    const shared: string[] = [];
    // Two replicas under steady load, asking the same new questions: each is computed on one and
    // joined or hit on the other while Redis is up, computed on both while it is down.
    const load = async (replica: typeof a) => {
      for (let round = 0; running; round++) {
        const request = chatRequest(`load ${round}`);
        try {
          const { value, status } = await replica.cache.getOrCompute(request, upstream.compute);
          if (value.message?.content === undefined) failures.push(new Error('no answer'));
          if (status !== 'miss') shared.push(status);
          served++;
        } catch (error) {
          failures.push(error);
        }
        await new Promise((resolve) => setTimeout(resolve, 5)); // pacing: steady load, not a hot loop
      }
    };
    const loads = [load(a), load(b)];
    await waitFor(() => served >= 20);
    expect(shared.length).toBeGreaterThan(0);
    await redis.server.kill();
    await waitFor(() => a.store.state === 'down' && b.store.state === 'down');
    const servedWhileDown = served;
    await waitFor(() => served >= servedWhileDown + 20);
    await redis.server.restart();
    expect(await a.store.whenReady({ timeoutMs: 10_000 })).toBe(true);
    expect(await b.store.whenReady({ timeoutMs: 10_000 })).toBe(true);
    const servedAfter = served;
    await waitFor(() => served >= servedAfter + 20);
    running = false;
    await Promise.all(loads);

    expect(failures).toEqual([]);
    for (const replica of [a, b]) {
      expect(replica.states).toEqual(['down', 'ready']);
      expect(replica.logger.lines).toHaveLength(2);
      expect(replica.logger.lines[0]).toMatch(/^warn RedisCacheStore\(faults:\): redis unavailable/);
      expect(replica.logger.lines[1]).toMatch(/^info RedisCacheStore\(faults:\): redis back/);
    }

    // Sharing resumed by itself: a new answer computed through A is a hit on B.
    const request = nextRequest();
    expect((await a.cache.getOrCompute(request, upstream.compute)).status).toBe('miss');
    expect((await b.cache.getOrCompute(request, upstream.compute)).status).toBe('hit');
  }, 60_000);

  it('goes local-only while Redis is too slow, without waiting on it, and comes back', async () => {
    const { store, logger, states } = await replica({ commandTimeoutMs: 100 });
    const errors: LLMCacheRedisError[] = [];
    const other = (await replica({ commandTimeoutMs: 100, onError: (error) => errors.push(error) })).store;
    await store.set('slow', streamedEntry('slow'), 60_000);
    // Paused for 40 times the command timeout (a pause blocks every client, so it cannot be lifted
    // early): the answers below must come while Redis is still paused.
    await redis.admin.client('PAUSE', 4000, 'ALL');
    // No local copy on the other store: the read goes to Redis, times out, counts as a miss.
    expect(await other.get('slow')).toBeUndefined();
    expect(other.state).toBe('down');
    expect(errors.map((error) => error.code)).toEqual(['LLM_CACHE_REDIS_TIMEOUT']);
    // While down nothing is sent (a command would time out against the paused Redis and count):
    // reads miss at once, writes land in the local tier only, and a claim is granted so the call
    // computes here.
    const errorsWhenDown = other.stats().errors;
    expect(other.get('slow')).toBeUndefined();
    await other.set('written-while-down', streamedEntry('local'), 60_000);
    expect(other.get('written-while-down')).toMatchObject({ durationMs: 42, streamed: true });
    expect(await other.acquire('anything', 1000)).toMatchObject({ release: expect.any(Function) });
    expect(await other.waitFor('anything', { timeoutMs: 1000 })).toBeUndefined();
    expect(other.stats().errors).toBe(errorsWhenDown);
    expect(other.state).toBe('down'); // still paused: none of it waited for Redis
    expect(await other.whenReady({ timeoutMs: 10_000 })).toBe(true);
    expect(await other.get('slow')).toMatchObject({ durationMs: 42, streamed: true });
    expect(other.stats().errors).toBeGreaterThan(0);
    // The first store saw nothing go wrong.
    expect(states).toEqual([]);
    expect(logger.lines).toEqual([]);
  }, 30_000);

  it('starts local-only when Redis is not there and logs it once', async () => {
    await redis.server.kill();
    const logger = recordingLogger();
    // A client of the test's own, so that its reconnection attempts can be counted.
    const client = new Redis(redis.server.url, redisClientOptions());
    client.on('error', () => {});
    let reconnects = 0;
    client.on('reconnecting', () => reconnects++);
    redis.track({ close: async () => client.disconnect() });
    const store = new RedisCacheStore({ redis: client, prefix: 'faults:', logger });
    redis.track(store);
    await waitFor(() => reconnects >= 3, {
      events: [[client, 'reconnecting']],
      message: '3 reconnection attempts',
    });
    expect(store.state).toBe('down');
    expect(store.get('k')).toBeUndefined();
    expect(await store.acquire('k', 1000)).toMatchObject({ release: expect.any(Function) });
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toMatch(/redis unavailable/);
    await redis.server.restart();
    expect(await store.whenReady({ timeoutMs: 10_000 })).toBe(true);
    expect(logger.lines).toHaveLength(2);
  }, 30_000);
});
