import { describe, expect, it, vi } from 'vitest';
import { chatChunks, collect, instantUpstream, ManualUpstream } from '../test/fake-upstream.js';
import { LLMCache } from './llm-cache.js';
import type { CacheMode, LLMChunk, LLMRequest } from './types.js';

const deterministic: LLMRequest = {
  model: 'llama3.2:3b',
  messages: [{ role: 'user', content: 'Name a colour' }],
  options: { temperature: 0 },
};

/** Answers `answer-N` on the Nth call, so a test can tell which computation it got. */
function countingUpstream() {
  const upstream = {
    calls: 0,
    start: async function* (): AsyncGenerator<LLMChunk> {
      upstream.calls++;
      yield* chatChunks([`answer-${upstream.calls}`]);
    },
  };
  return upstream;
}

/** Two identical calls with these modes, the second while the first is in flight. */
async function concurrently(cache: LLMCache, first: CacheMode, second: CacheMode) {
  const upstream = new ManualUpstream(chatChunks(['x']));
  const streams = [
    await cache.stream(deterministic, upstream.start, { mode: first }),
    await cache.stream(deterministic, upstream.start, { mode: second }),
  ];
  upstream.release();
  await Promise.all(streams.map(collect));
  return { statuses: streams.map((stream) => stream.status), calls: upstream.calls };
}

async function text(
  cache: LLMCache,
  request: LLMRequest,
  start: () => AsyncIterable<LLMChunk>,
  mode?: 'default',
) {
  const stream = await cache.stream(request, start, { mode: mode ?? 'default' });
  const chunks = await collect(stream);
  return { status: stream.status, content: chunks.map((chunk) => chunk.message?.content).join('') };
}

describe('policy', () => {
  it('bypasses sampled requests by default: a missing temperature means 0.8', async () => {
    const cache = new LLMCache();
    const upstream = countingUpstream();
    const sampled = { ...deterministic, options: {} };
    expect(await text(cache, sampled, upstream.start)).toEqual({ status: 'bypass', content: 'answer-1' });
    expect(await text(cache, sampled, upstream.start)).toEqual({ status: 'bypass', content: 'answer-2' });
    expect(
      await text(cache, { ...deterministic, options: { temperature: 0.7 } }, upstream.start),
    ).toMatchObject({
      status: 'bypass',
    });
    expect(cache.stats()).toMatchObject({ bypasses: 3, hits: 0, misses: 0, entries: 0 });
  });

  it('caches a seeded request, but not seed -1 (Ollama: random)', async () => {
    const cache = new LLMCache();
    const upstream = countingUpstream();
    const seeded = { ...deterministic, options: { temperature: 0.9, seed: 7 } };
    await text(cache, seeded, upstream.start);
    expect((await text(cache, seeded, upstream.start)).status).toBe('hit');
    const random = { ...deterministic, options: { seed: -1 } };
    expect((await text(cache, random, upstream.start)).status).toBe('bypass');
  });

  it('does not join sampled requests in flight: each gets its own sample', async () => {
    const cache = new LLMCache();
    const upstream = new ManualUpstream(chatChunks(['x']));
    const sampled = { ...deterministic, options: { temperature: 1 } };
    const streams = await Promise.all([
      cache.stream(sampled, upstream.start),
      cache.stream(sampled, upstream.start),
    ]);
    upstream.release();
    await Promise.all(streams.map(collect));
    expect(streams.map((stream) => stream.status)).toEqual(['bypass', 'bypass']);
    expect(upstream.calls).toBe(2);
  });

  it("caches everything with 'always', and asks a function policy", async () => {
    const always = new LLMCache({ policy: 'always' });
    const upstream = countingUpstream();
    const sampled = { ...deterministic, options: { temperature: 1 } };
    await text(always, sampled, upstream.start);
    expect((await text(always, sampled, upstream.start)).status).toBe('hit');

    const policy = vi.fn((request: LLMRequest) => request.model.startsWith('llama'));
    const custom = new LLMCache({ policy });
    await text(custom, sampled, upstream.start);
    expect((await text(custom, sampled, upstream.start)).status).toBe('hit');
    expect((await text(custom, { ...sampled, model: 'qwen3:8b' }, upstream.start)).status).toBe('bypass');
    expect(policy).toHaveBeenCalledWith(sampled, 'chat');
  });

  it('caches embeddings by default', async () => {
    const cache = new LLMCache();
    const compute = vi.fn(async () => ({ model: 'nomic-embed-text', embeddings: [[0.1, 0.2]] }));
    const embed = { model: 'nomic-embed-text', input: ['hello'] };
    expect((await cache.getOrCompute(embed, compute)).status).toBe('miss');
    expect(await cache.getOrCompute(embed, compute)).toEqual({
      value: { model: 'nomic-embed-text', embeddings: [[0.1, 0.2]] },
      status: 'hit',
    });
    expect(compute).toHaveBeenCalledTimes(1);
  });
});

describe('modes', () => {
  it("'no-cache' skips the read but stores the fresh answer", async () => {
    const cache = new LLMCache();
    const upstream = countingUpstream();
    await text(cache, deterministic, upstream.start);
    const fresh = await cache.stream(deterministic, upstream.start, { mode: 'no-cache' });
    expect(fresh.status).toBe('miss');
    expect((await collect(fresh))[0]?.message?.content).toBe('answer-2');
    expect(await text(cache, deterministic, upstream.start)).toEqual({ status: 'hit', content: 'answer-2' });
  });

  it("'no-cache' joins a computation in flight: it is fresh", async () => {
    const cache = new LLMCache();
    expect(await concurrently(cache, 'default', 'no-cache')).toEqual({
      statuses: ['miss', 'joined'],
      calls: 1,
    });
  });

  it("'no-store' reads a stored answer but never stores its own", async () => {
    const cache = new LLMCache();
    const upstream = countingUpstream();
    const miss = await cache.stream(deterministic, upstream.start, { mode: 'no-store' });
    expect(miss.status).toBe('miss');
    await collect(miss);
    expect(cache.stats().entries).toBe(0);
    await text(cache, deterministic, upstream.start);
    const hit = await cache.stream(deterministic, upstream.start, { mode: 'no-store' });
    expect(hit.status).toBe('hit');
    expect(upstream.calls).toBe(2);
  });

  it("stores a 'no-store' computation that a storing call joined", async () => {
    const cache = new LLMCache();
    expect(await concurrently(cache, 'no-store', 'default')).toEqual({
      statuses: ['miss', 'joined'],
      calls: 1,
    });
    expect(cache.stats().entries).toBe(1);
  });

  it("'refresh' recomputes even with an answer stored or in flight, and replaces it", async () => {
    const cache = new LLMCache();
    const upstream = countingUpstream();
    await text(cache, deterministic, upstream.start);
    const refreshed = await cache.stream(deterministic, upstream.start, { mode: 'refresh' });
    expect(refreshed.status).toBe('miss');
    expect((await collect(refreshed))[0]?.message?.content).toBe('answer-2');
    expect(await text(cache, deterministic, upstream.start)).toEqual({ status: 'hit', content: 'answer-2' });

    expect(await concurrently(cache, 'no-cache', 'refresh')).toEqual({
      statuses: ['miss', 'miss'],
      calls: 2,
    });
  });

  it("'refresh' keeps the old answer when the recomputation fails", async () => {
    const cache = new LLMCache();
    const upstream = countingUpstream();
    await text(cache, deterministic, upstream.start);
    const failing = await cache.stream(deterministic, instantUpstream([{ error: 'boom' }]).start, {
      mode: 'refresh',
    });
    await collect(failing);
    expect(await text(cache, deterministic, upstream.start)).toEqual({ status: 'hit', content: 'answer-1' });
  });

  it("'bypass' neither reads, joins nor stores", async () => {
    const cache = new LLMCache();
    const upstream = countingUpstream();
    await text(cache, deterministic, upstream.start);
    const bypass = await cache.stream(deterministic, upstream.start, { mode: 'bypass' });
    expect(bypass.status).toBe('bypass');
    expect(bypass.key).toBeUndefined();
    expect((await collect(bypass))[0]?.message?.content).toBe('answer-2');
    expect(await text(cache, deterministic, upstream.start)).toEqual({ status: 'hit', content: 'answer-1' });
  });

  it('aborts a bypassed upstream when its consumer breaks out', async () => {
    const cache = new LLMCache();
    const upstream = new ManualUpstream(chatChunks(['a', 'b']));
    const stream = await cache.stream(deterministic, upstream.start, { mode: 'bypass' });
    upstream.release(1);
    for await (const _chunk of stream) break;
    expect(upstream.aborted).toBe(1);
  });
});

describe('stats', () => {
  it('computes hitRate as hits / (hits + misses) and sums the upstream time saved', async () => {
    const cache = new LLMCache();
    expect(cache.stats().hitRate).toBe(0);
    const upstream = countingUpstream();
    await text(cache, deterministic, upstream.start);
    for (let index = 0; index < 3; index++) await text(cache, deterministic, upstream.start);
    await text(cache, { ...deterministic, options: {} }, upstream.start);
    const stats = cache.stats();
    expect(stats).toMatchObject({ hits: 3, misses: 1, bypasses: 1, hitRate: 0.75, entries: 1 });
    expect(stats.timeSavedMs).toBeGreaterThanOrEqual(0);
  });

  it('counts the upstream duration of each hit as time saved', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] });
    try {
      const cache = new LLMCache();
      const slow = async function* () {
        await new Promise((resolve) => setTimeout(resolve, 30));
        yield* chatChunks(['slow']);
      };
      const miss = text(cache, deterministic, slow);
      await vi.advanceTimersByTimeAsync(30);
      await miss;
      await text(cache, deterministic, slow);
      await text(cache, deterministic, slow);
      expect(cache.stats()).toMatchObject({ hits: 2, timeSavedMs: 2 * 30 });
    } finally {
      vi.useRealTimers();
    }
  });
});
