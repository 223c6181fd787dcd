import { waitFor } from '@lunar/dev-kit';
import type { LLMCache, LLMChunk } from '@lunar/llm-cache';
import { describe, expect, it } from 'vitest';
import { aLease, CountingUpstream, chatRequest, HeldUpstream, streamedEntry } from './fixtures.js';
import { useRedisServer } from './redis-fixture.js';
import { replicaOn } from './replica.js';

const redis = useRedisServer();

const replica = (cacheOptions: ConstructorParameters<typeof LLMCache>[0] = {}) =>
  replicaOn(redis, 'fresh:', cacheOptions);

let question = 0;
const nextRequest = () => chatRequest(`fresh ${++question}`);

const text = async (stream: AsyncIterable<LLMChunk>) => {
  let all = '';
  for await (const chunk of stream) all += chunk.message?.content ?? '';
  return all;
};

describe("'no-cache' across replicas", { timeout: 30_000 }, () => {
  it('computes afresh on B although A stored an answer, and that answer replaces the old one', async () => {
    const a = await replica();
    const b = await replica();
    const upstream = new CountingUpstream(5);
    const request = nextRequest();
    const old = await a.cache.getOrCompute(request, (signal) => upstream.compute(signal, 'old answer'));
    expect(old.status).toBe('miss');
    const fresh = await b.cache.getOrCompute(request, (signal) => upstream.compute(signal, 'new answer'), {
      mode: 'no-cache',
    });
    expect(fresh.status).toBe('miss');
    expect(fresh.value.message?.content).toBe('new answer');
    expect(upstream.calls).toBe(2);
    // A hears of the new answer and drops its own copy of the old one.
    await waitFor(async () => {
      const onA = await a.cache.getOrCompute(request, (signal) => upstream.compute(signal, 'unused'));
      return onA.value.message?.content === 'new answer';
    });
    expect(upstream.calls).toBe(2);
  });

  it('streams afresh on B although A stored an answer', async () => {
    const a = await replica();
    const b = await replica();
    const request = { ...nextRequest(), stream: true };
    const answer = (content: string) =>
      async function* (): AsyncGenerator<LLMChunk> {
        yield { model: 'llama3.2:3b', message: { role: 'assistant', content }, done: false };
        yield { model: 'llama3.2:3b', message: { role: 'assistant', content: '' }, done: true };
      };
    expect(await text(await a.cache.stream(request, answer('old answer')))).toBe('old answer');
    await waitFor(async () => (await redis.admin.exists(`fresh:entry:${a.cache.key(request)}`)) === 1);
    const fresh = await b.cache.stream(request, answer('new answer'), { mode: 'no-cache' });
    expect(fresh.status).toBe('miss');
    expect(await text(fresh)).toBe('new answer');
  });

  it('joins a fresh computation in flight on A, not the answer stored before', async () => {
    const a = await replica();
    const b = await replica({ joinTimeoutMs: 20_000 });
    const request = nextRequest();
    const key = a.cache.key(request);
    await a.store.set(key, { ...streamedEntry('old answer'), createdAt: Date.now() - 60_000 }, 60_000);
    const slow = new HeldUpstream();
    const onA = a.cache.getOrCompute(request, (signal) => slow.compute(signal, 'new answer'), {
      mode: 'no-cache',
    });
    await waitFor(async () => (await redis.admin.exists(`fresh:lock:${key}`)) === 1); // A computes
    const joining = b.cache.getOrCompute(request, (signal) => slow.compute(signal, 'from B'), {
      mode: 'no-cache',
    });
    await waitFor(() => b.store.stats().waiters === 1, { message: "B waits for A's answer" });
    slow.answer();
    const onB = await joining;
    expect(onB.status).toBe('joined');
    expect(onB.value.message?.content).toBe('new answer');
    expect((await onA).status).toBe('miss');
    expect(slow.calls).toBe(1);
  });

  it("'refresh' on B recomputes and replaces A's answer", async () => {
    const a = await replica();
    const b = await replica();
    const upstream = new CountingUpstream(5);
    const request = nextRequest();
    await a.cache.getOrCompute(request, (signal) => upstream.compute(signal, 'old answer'));
    const refreshed = await b.cache.getOrCompute(
      request,
      (signal) => upstream.compute(signal, 'new answer'),
      {
        mode: 'refresh',
      },
    );
    expect(refreshed).toMatchObject({ status: 'miss', value: { message: { content: 'new answer' } } });
    expect(upstream.calls).toBe(2);
  });
});

describe('acquire with fresh, waitFor with since', { timeout: 30_000 }, () => {
  it('takes the lock over a stored answer when fresh, still not over a held lock', async () => {
    const { store } = await replica();
    await store.set('stored', streamedEntry('stored'), 60_000);
    expect(await store.acquire('stored', 60_000)).toBeUndefined();
    expect(await store.acquire('stored', 60_000, { fresh: false })).toBeUndefined();
    const lease = await store.acquire('stored', 60_000, { fresh: true });
    expect(lease).toMatchObject(aLease);
    expect(await redis.admin.exists('fresh:lock:stored')).toBe(1);
    expect(await store.acquire('stored', 60_000, { fresh: true })).toBeUndefined(); // held
    await lease?.release();
    expect(await redis.admin.exists('fresh:lock:stored')).toBe(0);
  });

  it('does not serve an entry older than since: undefined when no one holds the lock', async () => {
    const { store } = await replica();
    const old = { ...streamedEntry('old'), createdAt: Date.now() - 60_000 };
    await store.set('old', old, 60_000);
    expect(await store.waitFor('old', { timeoutMs: 10_000, since: Date.now() })).toBeUndefined();
    expect(await store.waitFor('old', { timeoutMs: 10_000, since: old.createdAt })).toEqual(old);
    expect(await store.waitFor('old', { timeoutMs: 10_000 })).toEqual(old);
  });

  it('waits past an older entry while the lock is held, and serves the new one', async () => {
    const { store } = await replica();
    const writer = (await replica()).store;
    await store.set('held', { ...streamedEntry('old'), createdAt: Date.now() - 60_000 }, 60_000);
    await redis.admin.set('fresh:lock:held', 'other-replica', 'PX', 10_000);
    const since = Date.now();
    let settled = false;
    const waiting = store.waitFor('held', { timeoutMs: 20_000, since }).finally(() => {
      settled = true;
    });
    await waitFor(() => store.stats().waiters === 1);
    const newer = streamedEntry('newer');
    await writer.set('held', newer, 60_000);
    expect(await waiting).toEqual(newer);
    expect(settled).toBe(true);
    await redis.admin.del('fresh:lock:held');
  });
});
