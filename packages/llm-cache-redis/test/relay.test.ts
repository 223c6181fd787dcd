import { waitFor } from '@lunar/dev-kit';
import { MemorySearchCache } from '@lunar/memory-cache';
import { describe, expect, it } from 'vitest';
import { RedisInvalidationRelay, type RedisInvalidationRelayOptions } from '../src/index.js';
import { commandCalls, recordingLogger, useRedisServer } from './redis-fixture.js';

const redis = useRedisServer();

/** One replica: a memory cache, a counting search over its memory, and a relay. */
async function replica(options: Partial<RedisInvalidationRelayOptions> = {}) {
  const cache = new MemorySearchCache<string[]>({ ttlMs: 60_000 });
  const logger = recordingLogger();
  const relay = new RedisInvalidationRelay({ redis: redis.server.url, cache, logger, ...options });
  redis.track(relay);
  expect(await relay.whenReady({ timeoutMs: 10_000 })).toBe(true);
  let searches = 0;
  const search = async (query: string, scope = 'user:42') => {
    const { status } = await cache.searchWithStatus(
      query,
      async () => {
        searches++;
        return [`memory for ${query}`];
      },
      { scope },
    );
    return status;
  };
  return { cache, relay, logger, search, searches: () => searches };
}

/** Waits until B has applied `count` invalidations from other replicas. */
const received = (relay: RedisInvalidationRelay, count: number) =>
  waitFor(() => relay.stats().received >= count);

describe('RedisInvalidationRelay', () => {
  it('makes the next search on B miss after a write on A', async () => {
    const a = await replica();
    const b = await replica();
    expect(await b.search('where does Alice live?')).toBe('miss');
    expect(await b.search('where does Alice live?')).toBe('hit');
    expect(await b.search('other scope', 'user:7')).toBe('miss');

    a.cache.invalidate('user:42'); // a memory write on A
    await received(b.relay, 1);
    expect(await b.search('where does Alice live?')).toBe('miss');
    expect(await b.search('other scope', 'user:7')).toBe('hit'); // only that scope
    expect(a.relay.stats()).toMatchObject({ published: 1, ignored: 1, received: 0, state: 'ready' });
    expect(a.cache.stats().invalidations).toBe(1); // its own message was not applied again

    a.cache.invalidate(); // every scope
    await received(b.relay, 2);
    expect(await b.search('other scope', 'user:7')).toBe('miss');
  });

  it('ignores messages that are not invalidations', async () => {
    const b = await replica();
    await redis.admin.publish('lunar:memory:invalidate', 'not json');
    await redis.admin.publish('lunar:memory:invalidate', JSON.stringify({ replica: 7 }));
    await waitFor(() => b.relay.stats().malformed === 2);
    expect(b.relay.stats().received).toBe(0);
  });

  it('keeps relaying after Redis restarts, and sends the writes made while it was down', async () => {
    const a = await replica();
    const b = await replica();
    expect(await b.search('before')).toBe('miss');
    await redis.server.kill();
    await waitFor(() => a.relay.state === 'down' && b.relay.state === 'down');
    a.cache.invalidate('user:42'); // a write while Redis is down: kept
    expect(a.relay.stats().pending).toBe(1);
    expect(await b.search('before')).toBe('hit'); // B cannot know yet
    expect(await b.search('during')).toBe('miss');

    await redis.server.restart();
    expect(await a.relay.whenReady({ timeoutMs: 10_000 })).toBe(true);
    expect(await b.relay.whenReady({ timeoutMs: 10_000 })).toBe(true);
    // Back: B dropped what it cached while cut off (it may have missed writes), and A sent its
    // pending write (B hears it if it was subscribed again by then; either way it is not stale).
    expect(await b.search('during')).toBe('miss');
    await waitFor(() => a.relay.stats().pending === 0 && a.relay.stats().published === 1);
    expect(await commandCalls(redis.admin, 'publish')).toBe(1);

    expect(await b.search('after')).toBe('miss');
    expect(await b.search('after')).toBe('hit');
    // B may or may not have heard the pending write (it may have subscribed again after A sent it).
    const heard = b.relay.stats().received;
    a.cache.invalidate('user:42');
    await received(b.relay, heard + 1);
    expect(await b.search('after')).toBe('miss');
    for (const { logger } of [a, b]) {
      expect(logger.lines).toHaveLength(2);
      expect(logger.lines[0]).toMatch(
        /^warn RedisInvalidationRelay\(lunar:memory:invalidate\): redis unavailable/,
      );
      expect(logger.lines[1]).toMatch(/redis back/);
    }
  }, 30_000);

  it('keeps at most maxPending scopes while down, then sends one invalidation of every scope', async () => {
    const a = await replica({ maxPending: 2 });
    const b = await replica();
    expect(await b.search('kept', 'user:9')).toBe('miss');
    await redis.server.kill();
    await waitFor(() => a.relay.state === 'down' && b.relay.state === 'down');
    a.cache.invalidate('user:1');
    a.cache.invalidate('user:2');
    expect(a.relay.stats().pending).toBe(2);
    a.cache.invalidate('user:3');
    expect(a.relay.stats().pending).toBe(1); // one "all scopes" instead
    await redis.server.restart();
    expect(await a.relay.whenReady({ timeoutMs: 10_000 })).toBe(true);
    expect(await b.relay.whenReady({ timeoutMs: 10_000 })).toBe(true);
    await waitFor(() => a.relay.stats().pending === 0 && a.relay.stats().published === 1);
    expect(await commandCalls(redis.admin, 'publish')).toBe(1); // the restarted server has seen one
    expect(await b.search('kept', 'user:9')).toBe('miss');
  }, 30_000);

  it('ends a pending whenReady with false on close', async () => {
    const relay = new RedisInvalidationRelay({
      redis: redis.server.url,
      cache: new MemorySearchCache<string[]>(),
      logger: false,
    });
    redis.track(relay);
    let ready: boolean | undefined;
    const waiting = relay.whenReady({ timeoutMs: 60_000 }).then((result) => {
      ready = result;
    });
    await relay.close(); // before the connection is up
    await new Promise((resolve) => setImmediate(resolve));
    expect(ready).toBe(false);
    await waiting;
  });

  it('rejects bad options with a TypeError naming them', () => {
    const cache = new MemorySearchCache<string[]>();
    expect(() => new RedisInvalidationRelay({ redis: redis.server.url, cache: {} as never })).toThrow(
      /Expected `cache` to have onInvalidate\(\) and invalidate\(\)/,
    );
    expect(() => new RedisInvalidationRelay({ redis: 'localhost:6379', cache })).toThrow(
      /Expected `redis` to be an ioredis client or a redis:\/\/ URL, got "localhost:6379"/,
    );
    expect(() => new RedisInvalidationRelay({ redis: redis.server.url, cache, maxPending: 0 })).toThrow(
      'Expected `maxPending` to be a positive integer, got 0',
    );
    expect(
      () => new RedisInvalidationRelay({ redis: redis.server.url, cache, chanel: 'x' } as never),
    ).toThrow('Unknown option `chanel`');
  });
});
