import { describe, expect, it } from 'vitest';
import { CoordinatingStore, oldEntry } from '../test/coordinating-store.js';
import { chatChunks, collect, flush, instantUpstream } from '../test/fake-upstream.js';
import { LLMCache } from './llm-cache.js';
import type { LLMChunk, LLMRequest } from './types.js';

const request: LLMRequest = {
  model: 'llama3.2:3b',
  messages: [{ role: 'user', content: 'Name a planet' }],
  options: { temperature: 0 },
};

const whole = (content: string): LLMChunk => ({
  model: 'llama3.2:3b',
  message: { role: 'assistant', content },
  done: true,
  done_reason: 'stop',
});

const content = (chunks: readonly LLMChunk[]) => chunks.map((chunk) => chunk.message?.content ?? '').join('');

describe.each([
  ['a store that honours `fresh` and `since`', true],
  ['a store that ignores them', false],
])("'no-cache' through a coordinating store: %s", (_name, honours) => {
  it('streams a fresh answer, not the one stored before the call', async () => {
    const store = new CoordinatingStore(honours);
    const cache = new LLMCache({ store });
    const key = cache.key(request);
    store.entries.set(key, oldEntry(chatChunks(['Mars'])));
    const upstream = instantUpstream(chatChunks(['Venus']));
    const stream = await cache.stream(request, upstream.start, { mode: 'no-cache' });
    expect(stream.status).toBe('miss');
    expect(content(await collect(stream))).toBe('Venus');
    expect(upstream.calls).toBe(1);
    await flush();
    expect(content(store.entries.get(key)?.chunks ?? [])).toBe('Venus'); // stored, replacing
    expect(store.held).toBe(0);
  });

  it('computes a fresh whole response, not the one stored before the call', async () => {
    const store = new CoordinatingStore(honours);
    const cache = new LLMCache({ store });
    store.entries.set(cache.key(request), oldEntry([whole('Mars')], false));
    let calls = 0;
    const result = await cache.getOrCompute(request, () => whole(`Venus ${++calls}`), { mode: 'no-cache' });
    expect(result).toEqual({ value: whole('Venus 1'), status: 'miss' });
    expect(cache.stats()).toMatchObject({ misses: 1, joins: 0 });
    expect(store.held).toBe(0);
  });
});

describe("'no-cache' and cross-process claims", () => {
  it('claims with `fresh` and waits only for an answer created since the call began', async () => {
    const store = new CoordinatingStore(true);
    const cache = new LLMCache({ store });
    store.heldElsewhere.add(cache.key(request));
    const before = Date.now();
    await cache.getOrCompute(request, () => whole('Venus'), { mode: 'no-cache' });
    const after = Date.now();
    expect(store.acquired).toEqual([{ fresh: true }]);
    const since = store.waited[0]?.since ?? Number.NaN;
    expect(since).toBeGreaterThanOrEqual(before);
    expect(since).toBeLessThanOrEqual(after);

    // A default call claims as before and takes any stored answer.
    const other = { ...request, model: 'other' };
    store.heldElsewhere.add(cache.key(other));
    await cache.getOrCompute(other, () => whole('Venus'));
    expect(store.acquired[1]).toEqual({ fresh: false });
    expect(store.waited[1]).not.toHaveProperty('since');
  });

  it('serves the answer of a computation that lands after the call began (joined)', async () => {
    const store = new CoordinatingStore(true);
    const cache = new LLMCache({ store });
    const key = cache.key(request);
    store.heldElsewhere.add(key);
    // Another process computes; its answer lands while this call waits.
    const waitFor = store.waitFor.bind(store);
    store.waitFor = async (waitedKey, options) => {
      store.entries.set(key, { ...oldEntry([whole('Jupiter')], false), createdAt: Date.now() });
      return waitFor(waitedKey, options);
    };
    let calls = 0;
    const result = await cache.getOrCompute(request, () => whole(`here ${++calls}`), { mode: 'no-cache' });
    expect(result).toEqual({ value: whole('Jupiter'), status: 'joined' });
    expect(calls).toBe(0);
  });

  it('does not join a call in this process whose claim may serve the stored answer', async () => {
    const store = new CoordinatingStore(false);
    store.manual = true;
    const cache = new LLMCache({ store });
    store.entries.set(cache.key(request), oldEntry(chatChunks(['Mars'])));
    const upstream = instantUpstream(chatChunks(['Venus']));
    const byDefault = cache.stream(request, upstream.start);
    await flush(); // the default call's claim is pending
    const noCache = cache.stream(request, upstream.start, { mode: 'no-cache' });
    await flush();
    store.answer();
    const [first, second] = await Promise.all([byDefault, noCache]);
    expect(first.status).toBe('joined'); // served from the other process's stored answer
    expect(content(await collect(first))).toBe('Mars');
    expect(second.status).toBe('miss');
    expect(content(await collect(second))).toBe('Venus');
    expect(upstream.calls).toBe(1);
  });

  it('does not join a whole-response call in this process whose claim may serve the stored answer', async () => {
    const store = new CoordinatingStore(false);
    store.manual = true;
    const cache = new LLMCache({ store });
    store.entries.set(cache.key(request), oldEntry([whole('Mars')], false));
    const byDefault = cache.getOrCompute(request, () => whole('unused'));
    await flush();
    const noCache = cache.getOrCompute(request, () => whole('Venus'), { mode: 'no-cache' });
    await flush();
    store.answer();
    expect(await byDefault).toEqual({ value: whole('Mars'), status: 'joined' });
    expect(await noCache).toEqual({ value: whole('Venus'), status: 'miss' });
  });

  it('joins a call in this process that is computing', async () => {
    const store = new CoordinatingStore(true);
    const cache = new LLMCache({ store });
    let calls = 0;
    let finish: (value: LLMChunk) => void = () => {};
    const compute = () => {
      calls++;
      return new Promise<LLMChunk>((resolve) => {
        finish = resolve;
      });
    };
    const byDefault = cache.getOrCompute(request, compute);
    await flush(); // claimed: it computes
    expect(calls).toBe(1);
    const noCache = cache.getOrCompute(request, compute, { mode: 'no-cache' });
    finish(whole('Venus'));
    expect(await byDefault).toEqual({ value: whole('Venus'), status: 'miss' });
    expect(await noCache).toEqual({ value: whole('Venus'), status: 'joined' });
    expect(calls).toBe(1);
  });
});

describe("'refresh' through a coordinating store", () => {
  it('computes without claiming and replaces the stored answer', async () => {
    const store = new CoordinatingStore(false);
    const cache = new LLMCache({ store });
    const key = cache.key(request);
    store.entries.set(key, oldEntry(chatChunks(['Mars'])));
    const stream = await cache.stream(request, instantUpstream(chatChunks(['Venus'])).start, {
      mode: 'refresh',
    });
    expect(stream.status).toBe('miss');
    expect(content(await collect(stream))).toBe('Venus');
    expect(store.acquired).toEqual([]);
    expect(content(store.entries.get(key)?.chunks ?? [])).toBe('Venus');
  });
});
