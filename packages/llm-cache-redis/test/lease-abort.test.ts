import { waitFor } from '@lunar/dev-kit';
import type { LLMChunk } from '@lunar/llm-cache';
import { describe, expect, it } from 'vitest';
import type { RedisCacheStore } from '../src/index.js';
import { CountingUpstream, chatRequest } from './fixtures.js';
import { useRedisServer } from './redis-fixture.js';
import { replicaOn } from './replica.js';

const redis = useRedisServer();

/** A replica with locks of a minute: a lock nobody releases stays for the whole test. */
const replica = () => replicaOn(redis, 'lease:', { joinTimeoutMs: 20_000 }, { lockMs: 60_000 });

/** Aborts `controller` right after the store has sent its claim, before Redis answers it. */
function abortWhileClaiming(store: RedisCacheStore, controller: AbortController) {
  const acquire = store.acquire.bind(store);
  let claims = 0;
  store.acquire = (...args) => {
    const claimed = acquire(...args);
    claims++;
    // After the cache has attached the caller (synchronously), before the reply (a round trip).
    queueMicrotask(() => controller.abort(new Error('caller left')));
    return claimed;
  };
  return () => claims;
}

let question = 0;
const nextRequest = () => chatRequest(`lease ${++question}`);

describe('a caller that leaves while its claim is pending', { timeout: 30_000 }, () => {
  it.each(['default', 'no-cache'] as const)(
    'releases the lock of a stream at once (%s mode), so the other replica computes',
    async (mode) => {
      const a = await replica();
      const b = await replica();
      const request = { ...nextRequest(), stream: true };
      const lockKey = `lease:lock:${a.cache.key(request)}`;
      const controller = new AbortController();
      const claims = abortWhileClaiming(a.store, controller);
      let starts = 0;
      const start = async function* (): AsyncGenerator<LLMChunk> {
        starts++;
        yield { model: 'llama3.2:3b', message: { role: 'assistant', content: 'x' }, done: true };
      };
      const stream = await a.cache.stream(request, start, { mode, signal: controller.signal });
      expect(claims()).toBe(1);
      await expect(stream.next()).rejects.toThrow('caller left');
      await waitFor(async () => (await redis.admin.exists(lockKey)) === 0, { timeoutMs: 15_000 });
      expect(starts).toBe(0);

      const upstream = new CountingUpstream(5);
      const onB = await b.cache.getOrCompute(request, upstream.compute);
      expect(onB.status).toBe('miss');
      expect(upstream.calls).toBe(1);
    },
  );

  it('releases the lock of a whole-response call at once', async () => {
    const a = await replica();
    const request = nextRequest();
    const lockKey = `lease:lock:${a.cache.key(request)}`;
    const controller = new AbortController();
    const claims = abortWhileClaiming(a.store, controller);
    const upstream = new CountingUpstream(5);
    await expect(
      a.cache.getOrCompute(request, upstream.compute, { signal: controller.signal }),
    ).rejects.toThrow('caller left');
    expect(claims()).toBe(1);
    await waitFor(async () => (await redis.admin.exists(lockKey)) === 0, { timeoutMs: 15_000 });
    expect(upstream.calls).toBe(0);
  });
});
