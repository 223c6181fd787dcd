import { afterEach, describe, expect, it, vi } from 'vitest';
import { chatChunks, collect, flush, instantUpstream, ManualUpstream } from '../test/fake-upstream.js';
import type { CacheEntry } from './cache-entry.js';
import type { CacheStore } from './cache-store.js';
import { LLMCache } from './llm-cache.js';
import type { LLMChunk, LLMRequest } from './types.js';

const request: LLMRequest = {
  model: 'llama3.2:3b',
  messages: [{ role: 'user', content: 'Say hello' }],
  options: { temperature: 0 },
};

const toolChunks: LLMChunk[] = [
  {
    model: 'qwen3:8b',
    message: { role: 'assistant', content: '', thinking: 'Need the weather.' },
    done: false,
  },
  {
    model: 'qwen3:8b',
    message: {
      role: 'assistant',
      content: '',
      tool_calls: [
        { id: 'call_k3j2h1g0', function: { index: 0, name: 'get_weather', arguments: { city: 'Tokyo' } } },
      ],
    },
    done: false,
  },
  { model: 'qwen3:8b', message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop' },
];

afterEach(() => {
  vi.useRealTimers();
});

describe('LLMCache.stream: miss, hit, replay', () => {
  it('passes a miss through, then replays the same chunks on a hit', async () => {
    const cache = new LLMCache();
    const upstream = instantUpstream(chatChunks(['Hel', 'lo']));
    const first = await cache.stream(request, upstream.start);
    expect(first.status).toBe('miss');
    const original = await collect(first);
    const second = await cache.stream({ ...request, stream: true }, upstream.start);
    expect(second.status).toBe('hit');
    expect(await collect(second)).toEqual(original);
    expect(upstream.calls).toBe(1);
    expect(original).toEqual(chatChunks(['Hel', 'lo']));
  });

  it('replays tool calls and thinking exactly', async () => {
    const cache = new LLMCache();
    const upstream = instantUpstream(toolChunks);
    const toolRequest = {
      ...request,
      model: 'qwen3:8b',
      tools: [{ type: 'function', function: { name: 'get_weather' } }],
    };
    const recorded = await collect(await cache.stream(toolRequest, upstream.start));
    const replayed = await collect(await cache.stream(toolRequest, upstream.start));
    expect(replayed).toEqual(recorded);
    expect(replayed).toEqual(toolChunks);
    expect(replayed[1]?.message?.tool_calls?.[0]?.function.arguments).toEqual({ city: 'Tokyo' });
  });

  it('serves a whole-response call from a streamed answer, merged as Ollama would', async () => {
    const cache = new LLMCache();
    await collect(await cache.stream(request, instantUpstream(chatChunks(['Hel', 'lo', '!'])).start));
    const compute = vi.fn(async () => ({ model: 'x', done: true }) as LLMChunk);
    const { value, status } = await cache.getOrCompute(request, compute);
    expect(status).toBe('hit');
    expect(compute).not.toHaveBeenCalled();
    expect(value).toMatchObject({
      message: { role: 'assistant', content: 'Hello!' },
      done: true,
      done_reason: 'stop',
    });
  });

  it('replays a whole response as a one-chunk stream', async () => {
    const cache = new LLMCache();
    const whole = chatChunks([])[0] as LLMChunk;
    const response = { ...whole, message: { role: 'assistant', content: 'Hello!' } };
    await cache.getOrCompute(request, async () => response);
    const stream = await cache.stream(request, instantUpstream([]).start);
    expect(stream.status).toBe('hit');
    expect(await collect(stream)).toEqual([response]);
  });

  it('freezes recorded chunks so no consumer can change the stored answer', async () => {
    const cache = new LLMCache();
    const upstream = instantUpstream(chatChunks(['Hi']));
    const [first] = await collect(await cache.stream(request, upstream.start));
    expect(() => {
      (first as { message: { content: string } }).message.content = 'changed';
    }).toThrow(TypeError);
    const [again] = await collect(await cache.stream(request, upstream.start));
    expect(again?.message?.content).toBe('Hi');
  });

  it('paces a replay with the recorded gaps when asked', async () => {
    vi.useFakeTimers();
    const entry: CacheEntry = {
      version: 1,
      route: 'chat',
      chunks: chatChunks(['a', 'b']),
      streamed: true,
      timings: [500, 600, 900],
      durationMs: 900,
      createdAt: Date.now(),
      size: 100,
    };
    const store: CacheStore = { get: () => entry, set: () => {}, delete: () => {} };
    const cache = new LLMCache({ store });
    const stream = await cache.stream(request, instantUpstream([]).start, { pace: true });
    const seen: number[] = [];
    const started = Date.now();
    const reading = (async () => {
      for await (const _chunk of stream) seen.push(Date.now() - started);
    })();
    await vi.advanceTimersByTimeAsync(1000);
    await reading;
    expect(seen).toEqual([0, 100, 400]);
  });

  it('stops a paced replay when its signal aborts', async () => {
    vi.useFakeTimers();
    const entry: CacheEntry = {
      version: 1,
      route: 'chat',
      chunks: chatChunks(['a']),
      streamed: true,
      timings: [0, 1000],
      durationMs: 1000,
      createdAt: Date.now(),
      size: 100,
    };
    const cache = new LLMCache({ store: { get: () => entry, set: () => {}, delete: () => {} } });
    const controller = new AbortController();
    const stream = await cache.stream(request, instantUpstream([]).start, {
      pace: true,
      signal: controller.signal,
    });
    await stream.next();
    const pending = stream.next();
    controller.abort(new Error('user left'));
    await expect(pending).rejects.toThrow('user left');
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('LLMCache.stream: single-flight', () => {
  it('runs 100 concurrent identical calls upstream once', async () => {
    const cache = new LLMCache();
    const upstream = new ManualUpstream(chatChunks(['one', 'two', 'three']));
    const streams = await Promise.all(
      Array.from({ length: 100 }, () => cache.stream(request, upstream.start)),
    );
    expect(streams.filter((stream) => stream.status === 'miss')).toHaveLength(1);
    expect(streams.filter((stream) => stream.status === 'joined')).toHaveLength(99);
    const results = Promise.all(streams.map(collect));
    upstream.release();
    for (const chunks of await results) expect(chunks).toEqual(chatChunks(['one', 'two', 'three']));
    expect(upstream.calls).toBe(1);
    expect(cache.stats()).toMatchObject({ misses: 1, joins: 99, hits: 0, entries: 1, inFlight: 0 });
  });

  it('gives a late joiner every chunk from the start, then the live ones', async () => {
    const cache = new LLMCache();
    const upstream = new ManualUpstream(chatChunks(['a', 'b', 'c', 'd']));
    const leader = await cache.stream(request, upstream.start);
    upstream.release(2);
    expect((await leader.next()).value?.message?.content).toBe('a');
    expect((await leader.next()).value?.message?.content).toBe('b');
    const joiner = await cache.stream(request, upstream.start);
    expect(joiner.status).toBe('joined');
    const joined = collect(joiner);
    upstream.release();
    const rest = await collect(leader);
    expect(rest.map((chunk) => chunk.message?.content)).toEqual(['c', 'd', '']);
    expect((await joined).map((chunk) => chunk.message?.content)).toEqual(['a', 'b', 'c', 'd', '']);
    expect(upstream.calls).toBe(1);
  });

  it('keeps the others going when one consumer aborts, and stores the answer', async () => {
    const cache = new LLMCache();
    const upstream = new ManualUpstream(chatChunks(['a', 'b', 'c']));
    const leaving = new AbortController();
    const leader = await cache.stream(request, upstream.start, { signal: leaving.signal });
    const staying = await cache.stream(request, upstream.start);
    const other = await cache.stream(request, upstream.start);
    upstream.release(1);
    await leader.next();
    const pending = leader.next();
    leaving.abort(new Error('gone'));
    await expect(pending).rejects.toThrow('gone');
    upstream.release();
    expect(await collect(staying)).toHaveLength(4);
    expect(await collect(other)).toHaveLength(4);
    expect(upstream.aborted).toBe(0);
    expect((await cache.stream(request, upstream.start)).status).toBe('hit');
  });

  it('rejects every next() after its signal aborted between reads, on a miss and on a hit', async () => {
    const cache = new LLMCache();
    const upstream = new ManualUpstream(chatChunks(['a', 'b', 'c']));
    const controller = new AbortController();
    const miss = await cache.stream(request, upstream.start, { signal: controller.signal });
    upstream.release(1);
    await miss.next();
    controller.abort(new Error('user left'));
    await expect(miss.next()).rejects.toThrow('user left');
    await expect(miss.next()).rejects.toThrow('user left');

    const stored = new LLMCache();
    await collect(await stored.stream(request, instantUpstream(chatChunks(['x', 'y'])).start));
    const replaying = new AbortController();
    const hit = await stored.stream(request, instantUpstream([]).start, { signal: replaying.signal });
    expect(hit.status).toBe('hit');
    await hit.next();
    replaying.abort(new Error('user left'));
    await expect(hit.next()).rejects.toThrow('user left');
  });

  it('aborts upstream only when every consumer has gone, and stores nothing', async () => {
    const cache = new LLMCache();
    const upstream = new ManualUpstream(chatChunks(['a', 'b']));
    const first = new AbortController();
    const second = new AbortController();
    const a = await cache.stream(request, upstream.start, { signal: first.signal });
    const b = await cache.stream(request, upstream.start, { signal: second.signal });
    upstream.release(1);
    await a.next();
    await b.next();
    first.abort();
    await flush();
    expect(upstream.aborted).toBe(0);
    second.abort();
    expect(upstream.aborted).toBe(1);
    await expect(b.next()).rejects.toMatchObject({ name: 'AbortError' });
    const next = await cache.stream(request, upstream.start);
    expect(next.status).toBe('miss');
    expect(upstream.calls).toBe(2);
    expect(cache.stats().entries).toBe(0);
    await next.return?.();
  });

  it('treats break out of for-await as leaving', async () => {
    const cache = new LLMCache();
    const upstream = new ManualUpstream(chatChunks(['a', 'b']));
    const stream = await cache.stream(request, upstream.start);
    upstream.release(1);
    for await (const _chunk of stream) break;
    expect(upstream.aborted).toBe(1);
    expect(cache.stats()).toMatchObject({ entries: 0, inFlight: 0 });
  });

  it('rejects at once for a signal that is already aborted, without calling upstream', async () => {
    const cache = new LLMCache();
    const upstream = new ManualUpstream(chatChunks(['a']));
    await expect(cache.stream(request, upstream.start, { signal: AbortSignal.abort() })).rejects.toThrow();
    expect(upstream.calls).toBe(0);
  });
});

describe('LLMCache.stream: never stores a wrong answer', () => {
  it('stores nothing when upstream fails mid-stream; every consumer gets the error', async () => {
    const cache = new LLMCache();
    const upstream = new ManualUpstream(chatChunks(['a', 'b']));
    const failure = new Error('connection reset');
    const leader = await cache.stream(request, upstream.start);
    const joiner = await cache.stream(request, upstream.start);
    upstream.release(1);
    upstream.failAfter(1, failure);
    const leaderChunks: LLMChunk[] = [];
    await expect(
      (async () => {
        for await (const chunk of leader) leaderChunks.push(chunk);
      })(),
    ).rejects.toBe(failure);
    await expect(collect(joiner)).rejects.toBe(failure);
    expect(leaderChunks).toHaveLength(1);
    expect(cache.stats().entries).toBe(0);
  });

  it.each([
    ['an error line', [...chatChunks(['a']).slice(0, 1), { error: 'model crashed' }, chatChunks([]).at(-1)!]],
    ['an unfinished stream (no done chunk)', chatChunks(['a', 'b']).slice(0, 2)],
    ['an empty answer', chatChunks([])],
    [
      'a model load reply',
      [{ model: 'm', done: true, done_reason: 'load', message: { role: 'assistant', content: '' } }],
    ],
  ])('stores nothing for %s', async (_name, chunks) => {
    const cache = new LLMCache();
    const upstream = instantUpstream(chunks as LLMChunk[]);
    expect(await collect(await cache.stream(request, upstream.start))).toEqual(chunks);
    expect((await cache.stream(request, upstream.start)).status).toBe('miss');
    expect(cache.stats().entries).toBe(0);
  });

  it('passes a synchronous start() failure to every consumer', async () => {
    const cache = new LLMCache();
    const failure = new Error('bad request');
    const start = () => {
      throw failure;
    };
    const stream = await cache.stream(request, start);
    await expect(stream.next()).rejects.toBe(failure);
    await expect(cache.stream(request, async () => Promise.reject(failure)).then(collect)).rejects.toBe(
      failure,
    );
  });
});

describe('LLMCache: bounds', () => {
  it('expires answers after ttlMs', async () => {
    vi.useFakeTimers();
    const cache = new LLMCache({ ttlMs: 60_000 });
    const upstream = instantUpstream(chatChunks(['a']));
    await collect(await cache.stream(request, upstream.start));
    vi.advanceTimersByTime(59_000);
    expect((await cache.stream(request, upstream.start)).status).toBe('hit');
    vi.advanceTimersByTime(2_000);
    const expired = await cache.stream(request, upstream.start);
    expect(expired.status).toBe('miss');
    await collect(expired);
    expect(upstream.calls).toBe(2);
  });

  it('keeps the stored bytes under maxBytes, evicting the least recently used', async () => {
    const cache = new LLMCache({ maxBytes: 20_000, maxEntryBytes: 5_000, maxEntries: 1000 });
    const text = 'x'.repeat(1_000);
    for (let index = 0; index < 100; index++) {
      const distinct = { ...request, messages: [{ role: 'user', content: `question ${index}` }] };
      await collect(await cache.stream(distinct, instantUpstream(chatChunks([text, text])).start));
      expect(cache.stats().bytes).toBeLessThanOrEqual(20_000);
    }
    const stats = cache.stats();
    expect(stats.entries).toBeGreaterThan(5);
    expect(stats.entries).toBeLessThan(20);
    expect(stats.bytes).toBeGreaterThan(15_000);
    expect(stats.evictions).toBe(100 - (stats.entries ?? 0));
    const newest = { ...request, messages: [{ role: 'user', content: 'question 99' }] };
    const oldest = { ...request, messages: [{ role: 'user', content: 'question 0' }] };
    expect((await cache.stream(newest, instantUpstream([]).start)).status).toBe('hit');
    expect((await cache.stream(oldest, instantUpstream(chatChunks(['a'])).start)).status).toBe('miss');
  });

  it('keeps at most maxEntries answers', async () => {
    const cache = new LLMCache({ maxEntries: 3 });
    for (let index = 0; index < 10; index++) {
      const distinct = { ...request, prompt: String(index) };
      await collect(await cache.stream(distinct, instantUpstream(chatChunks(['a'])).start));
    }
    expect(cache.stats()).toMatchObject({ entries: 3, evictions: 7 });
  });

  it('does not store an answer past maxEntryBytes, yet every consumer gets it all', async () => {
    const cache = new LLMCache({ maxEntryBytes: 2_000 });
    const parts = Array.from({ length: 40 }, (_, index) => `part ${index} `.padEnd(100, '.'));
    const upstream = new ManualUpstream(chatChunks(parts));
    const leader = await cache.stream(request, upstream.start);
    const joiner = await cache.stream(request, upstream.start);
    const results = Promise.all([collect(leader), collect(joiner)]);
    upstream.release(30);
    await flush();
    // Past the limit, new identical calls no longer join: they would miss the dropped chunks.
    const late = await cache.stream(request, instantUpstream(chatChunks(['other'])).start);
    expect(late.status).toBe('miss');
    await collect(late);
    upstream.release();
    const [a, b] = await results;
    expect(a).toEqual(chatChunks(parts));
    expect(b).toEqual(chatChunks(parts));
    const after = await cache.stream(request, instantUpstream(chatChunks(['x'])).start);
    expect(after.status).toBe('hit'); // the late, small answer was stored; the big one was not
    expect((await collect(after))[0]?.message?.content).toBe('other');
  });

  it('holds a fast consumer once a slow one falls maxEntryBytes behind', async () => {
    const cache = new LLMCache({ maxEntryBytes: 2_000 });
    const parts = Array.from({ length: 200 }, () => 'y'.repeat(100));
    const upstream = new ManualUpstream(chatChunks(parts));
    upstream.release();
    const fast = await cache.stream(request, upstream.start);
    const slow = await cache.stream(request, upstream.start);
    await slow.next();
    const fastChunks: LLMChunk[] = [];
    const reading = (async () => {
      for await (const chunk of fast) fastChunks.push(chunk);
    })();
    for (let turn = 0; turn < 20; turn++) await flush();
    // About 2,000 bytes of ~180-byte chunks: the window holds a dozen, not the 200 available.
    expect(upstream.pulled).toBeLessThan(30);
    expect(fastChunks.length).toBe(upstream.pulled);
    await slow.return?.();
    await reading;
    expect(fastChunks).toHaveLength(201);
  });
});
