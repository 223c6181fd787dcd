import { waitFor } from '@lunar/dev-kit';
import type { LLMCache, LLMChunk } from '@lunar/llm-cache';
import { describe, expect, it } from 'vitest';
import type { RedisCacheStoreOptions } from '../src/index.js';
import { CountingUpstream, chatRequest, chatResponse, HeldUpstream } from './fixtures.js';
import { useRedisServer } from './redis-fixture.js';
import { replicaOn } from './replica.js';

const redis = useRedisServer();

/** One replica: its own store (own connections, own local tier) in front of the shared Redis. */
const replica = (
  cacheOptions: ConstructorParameters<typeof LLMCache>[0] = {},
  storeOptions: Partial<RedisCacheStoreOptions> = {},
) => replicaOn(redis, 'replicas:', cacheOptions, storeOptions);

let question = 0;
const nextRequest = () => chatRequest(`replicas ${++question}`);

/** Resolves once Redis holds `kind` (`lock`: a replica's claim, `entry`: a stored answer) for the request. */
const inRedis = (kind: 'lock' | 'entry', on: LLMCache, request: Parameters<LLMCache['key']>[0]) =>
  waitFor(async () => (await redis.admin.exists(`replicas:${kind}:${on.key(request)}`)) === 1, {
    message: `the ${kind} in Redis`,
  });

describe('two replicas on one Redis', () => {
  it('serves an answer cached through A as a hit on B', async () => {
    const a = await replica();
    const b = await replica();
    const upstream = new CountingUpstream(5);
    const request = nextRequest();
    expect((await a.cache.getOrCompute(request, upstream.compute)).status).toBe('miss');
    const onB = await b.cache.getOrCompute(request, upstream.compute);
    expect(onB.status).toBe('hit');
    expect(onB.value).toEqual(chatResponse('blue, because of Rayleigh scattering'));
    expect(upstream.calls).toBe(1);
    expect(b.store.stats()).toMatchObject({ remoteHits: 1, localHits: 0 });
    expect((await b.cache.getOrCompute(request, upstream.compute)).status).toBe('hit');
    expect(b.store.stats().localHits).toBe(1);
  });

  it('replays a stream cached through A on B, chunk for chunk', async () => {
    const a = await replica();
    const b = await replica();
    const request = { ...nextRequest(), stream: true };
    const chunks: LLMChunk[] = ['Rayleigh', ' scattering', ''].map((content, index, all) => ({
      model: 'llama3.2:3b',
      created_at: '2025-01-01T00:00:00.000Z',
      message: { role: 'assistant', content },
      done: index === all.length - 1,
    }));
    let calls = 0;
    const start = async function* () {
      calls++;
      yield* chunks;
    };
    const first = await a.cache.stream(request, start);
    const recorded: LLMChunk[] = [];
    for await (const chunk of first) recorded.push(chunk);
    await inRedis('entry', a.cache, request); // the write to Redis has landed
    const replay = await b.cache.stream(request, start);
    expect(replay.status).toBe('hit');
    const replayed: LLMChunk[] = [];
    for await (const chunk of replay) replayed.push(chunk);
    expect(replayed).toEqual(recorded);
    expect(calls).toBe(1);
  });

  it('sends 40 identical concurrent requests split across A and B upstream once', async () => {
    const a = await replica();
    const b = await replica();
    const upstream = new HeldUpstream();
    const request = nextRequest();
    const calls = Promise.all(
      Array.from({ length: 40 }, (_item, index) =>
        (index % 2 === 0 ? a : b).cache.getOrCompute(request, upstream.compute),
      ),
    );
    // Held until every call is in: 19 joined on each replica, and one replica waits for the other's claim.
    await waitFor(
      () =>
        a.cache.stats().joins + b.cache.stats().joins === 38 &&
        a.store.stats().waiters + b.store.stats().waiters === 1,
      { message: 'every call joined, one replica waiting for the other' },
    );
    upstream.answer();
    const results = await calls;
    expect(upstream.calls).toBe(1);
    expect(results.filter((result) => result.status === 'miss')).toHaveLength(1);
    expect(results.filter((result) => result.status === 'joined')).toHaveLength(39);
    for (const result of results)
      expect(result.value.message?.content).toBe('blue, because of Rayleigh scattering');
  });

  it('joins a stream in flight on the other replica', async () => {
    const a = await replica();
    const b = await replica();
    const request = { ...nextRequest(), stream: true };
    let calls = 0;
    let answer: () => void = () => {};
    const answered = new Promise<void>((resolve) => {
      answer = resolve;
    });
    const chunk = (content: string, done = false) => ({
      model: 'llama3.2:3b',
      created_at: '',
      message: { role: 'assistant', content },
      done,
    });
    const start = async function* () {
      calls++;
      yield chunk('slow');
      await answered; // the rest of the answer comes once B waits for it
      yield chunk(' answer');
      yield chunk('', true);
    };
    const read = async (stream: AsyncIterable<LLMChunk>) => {
      let text = '';
      for await (const chunk of stream) text += chunk.message?.content ?? '';
      return text;
    };
    const onA = await a.cache.stream(request, start);
    // B's status is settled before its first chunk: it resolves once A's answer has landed.
    const onB = b.cache.stream(request, start);
    const readA = read(onA);
    await waitFor(() => b.store.stats().waiters === 1, { message: "B waits for A's answer" });
    answer();
    expect(await readA).toBe('slow answer');
    const streamB = await onB;
    expect(streamB.status).toBe('joined');
    expect(await read(streamB)).toBe('slow answer');
    expect(onA.status).toBe('miss');
    expect(calls).toBe(1);
  });

  it('computes on B once the lock of a dead holder runs out', async () => {
    // A join deadline past the test's own timeout: B must not wait for it.
    const b = await replica({ joinTimeoutMs: 20_000 });
    const upstream = new CountingUpstream(5);
    const request = nextRequest();
    const lock = `replicas:lock:${b.cache.key(request)}`;
    // A replica took the claim and died: its lock is there, nobody renews or releases it.
    await redis.admin.set(lock, 'dead-replica', 'PX', 400);
    const locks: Array<string | null> = [];
    const result = await b.cache.getOrCompute(request, async (signal) => {
      locks.push(await redis.admin.get(lock));
      return upstream.compute(signal);
    });
    expect(result.status).toBe('miss');
    expect(upstream.calls).toBe(1);
    // B waited for the lock, and computed once it had run out.
    expect(locks).toEqual([null]);
  });

  it('computes on B at its join deadline when the holder is alive but slow', async () => {
    const a = await replica();
    const b = await replica({ joinTimeoutMs: 300 });
    const slow = new HeldUpstream();
    const quick = new CountingUpstream(5);
    const request = nextRequest();
    const onA = a.cache.getOrCompute(request, slow.compute);
    await inRedis('lock', a.cache, request); // A holds the claim, and its call is held
    const onB = await b.cache.getOrCompute(request, quick.compute);
    expect(onB.status).toBe('miss');
    expect(quick.calls).toBe(1);
    slow.answer();
    expect((await onA).status).toBe('miss');
    expect(slow.calls).toBe(1);
  });

  it('keeps the claim of a live holder past lockMs by renewing it', async () => {
    // A lock of 1 s renewed while a 2.5 s call runs: long enough that a loaded machine's event-loop
    // stalls do not let it lapse between renewals, short enough that the call outlives it twice.
    const a = await replica({}, { lockMs: 1_000 });
    const b = await replica({ joinTimeoutMs: 20_000 }, { lockMs: 1_000 });
    const upstream = new CountingUpstream(2_500);
    const request = nextRequest();
    const onA = a.cache.getOrCompute(request, upstream.compute);
    await inRedis('lock', a.cache, request);
    const onB = await b.cache.getOrCompute(request, upstream.compute);
    expect(onB.status).toBe('joined');
    expect((await onA).status).toBe('miss');
    expect(upstream.calls).toBe(1);
  });

  it('computes on B at once when the holder fails and releases without an answer', async () => {
    const a = await replica();
    // A join deadline past the test's own timeout: B must not wait for it.
    const b = await replica({ joinTimeoutMs: 20_000 });
    const failing = new CountingUpstream(200);
    failing.failNext();
    const working = new CountingUpstream(5);
    const request = nextRequest();
    const onA = a.cache.getOrCompute(request, failing.compute).catch((error: Error) => error.message);
    await inRedis('lock', a.cache, request);
    const onB = await b.cache.getOrCompute(request, working.compute);
    expect(await onA).toBe('upstream failed');
    expect(onB.status).toBe('miss');
    expect(working.calls).toBe(1);
    expect(await redis.admin.exists(`replicas:lock:${a.cache.key(request)}`)).toBe(0);
  });
});

describe('waitFor', () => {
  it('lets at most maxWaiters calls wait; the next ones compute at once', async () => {
    const { store } = await replica({}, { maxWaiters: 1 });
    await redis.admin.set('replicas:lock:held', 'other-replica', 'PX', 5000);
    const first = store.waitFor('held', { timeoutMs: 10_000 });
    expect(store.stats().waiters).toBe(1);
    expect(await store.waitFor('held', { timeoutMs: 10_000 })).toBeUndefined();
    expect(store.stats().waiters).toBe(1);
    await redis.admin.del('replicas:lock:held');
    await redis.admin.publish(
      'replicas:events',
      JSON.stringify({ type: 'released', key: 'held', origin: 'x' }),
    );
    expect(await first).toBeUndefined();
    expect(store.stats().waiters).toBe(0);
  });

  it('rejects with the reason when its signal aborts', async () => {
    const { store } = await replica();
    await redis.admin.set('replicas:lock:aborted', 'other-replica', 'PX', 5000);
    const controller = new AbortController();
    const waiting = store.waitFor('aborted', { timeoutMs: 10_000, signal: controller.signal });
    controller.abort(new Error('caller left'));
    await expect(waiting).rejects.toThrow('caller left');
    expect(store.stats().waiters).toBe(0);
  });

  it('falls back to polling when Redis refuses the subscription', async () => {
    await redis.admin.acl('SETUSER', 'nosub', 'on', '>secret', '~*', '&*', '+@all', '-subscribe');
    const url = `redis://nosub:secret@127.0.0.1:${redis.server.port}`;
    // Locks of a minute and a join deadline of 20 s, both past the test's own timeout: without
    // polling, B would only look again when one of them runs out.
    const a = await replica({}, { redis: url, pollIntervalMs: 20, lockMs: 60_000 });
    const b = await replica({ joinTimeoutMs: 20_000 }, { redis: url, pollIntervalMs: 20, lockMs: 60_000 });
    expect(b.store.stats().subscribed).toBe(false);
    const upstream = new HeldUpstream();
    const request = nextRequest();
    const onA = a.cache.getOrCompute(request, upstream.compute);
    await inRedis('lock', a.cache, request);
    const onB = b.cache.getOrCompute(request, upstream.compute);
    await waitFor(() => b.store.stats().waiters === 1, { message: "B waits for A's answer" });
    upstream.answer();
    expect((await onB).status).toBe('joined');
    expect((await onA).status).toBe('miss');
    expect(upstream.calls).toBe(1);
  });
});
