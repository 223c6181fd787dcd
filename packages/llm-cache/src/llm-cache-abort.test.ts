import { describe, expect, it } from 'vitest';
import { CoordinatingStore } from '../test/coordinating-store.js';
import { chatChunks, flush, instantUpstream } from '../test/fake-upstream.js';
import type { CacheEntry } from './cache-entry.js';
import type { CacheStore } from './cache-store.js';
import { LLMCache } from './llm-cache.js';
import type { LLMChunk, LLMRequest } from './types.js';

const request: LLMRequest = {
  model: 'llama3.2:3b',
  messages: [{ role: 'user', content: 'Name a moon' }],
  options: { temperature: 0 },
};

const whole: LLMChunk = { model: 'llama3.2:3b', message: { role: 'assistant', content: 'Io' }, done: true };

/** A compute function that counts its calls. */
function counted() {
  const compute = () => {
    compute.calls++;
    return whole;
  };
  compute.calls = 0;
  return compute;
}

/** A store whose reads answer (a miss) only when the test says so. */
function slowReadStore() {
  const pending: Array<(entry: CacheEntry | undefined) => void> = [];
  const store: CacheStore = {
    get: () => new Promise((resolve) => pending.push(resolve)),
    set: () => {},
    delete: () => {},
  };
  const answer = () => {
    for (const resolve of pending.splice(0)) resolve(undefined);
  };
  return { store, answer };
}

describe('a caller that leaves while the store is read', () => {
  it('getOrCompute rejects with the reason and computes nothing', async () => {
    const { store, answer } = slowReadStore();
    const cache = new LLMCache({ store });
    const controller = new AbortController();
    const compute = counted();
    const pending = cache.getOrCompute(request, compute, { signal: controller.signal });
    controller.abort(new Error('caller left'));
    answer();
    await expect(pending).rejects.toThrow('caller left');
    await flush();
    expect(compute.calls).toBe(0);
    expect(cache.stats()).toMatchObject({ misses: 0, inFlight: 0 });
  });

  it('stream rejects with the reason and starts nothing', async () => {
    const { store, answer } = slowReadStore();
    const cache = new LLMCache({ store });
    const controller = new AbortController();
    const upstream = instantUpstream(chatChunks(['Io']));
    const pending = cache.stream(request, upstream.start, { signal: controller.signal });
    controller.abort(new Error('caller left'));
    answer();
    await expect(pending).rejects.toThrow('caller left');
    await flush();
    expect(upstream.calls).toBe(0);
    expect(cache.stats()).toMatchObject({ misses: 0, inFlight: 0 });
  });
});

describe('a caller that leaves while the cross-process claim is pending', () => {
  it('releases the stream lease that arrives afterwards, and starts nothing', async () => {
    const store = new CoordinatingStore(true);
    store.manual = true;
    const cache = new LLMCache({ store });
    const upstream = instantUpstream(chatChunks(['Io']));
    const controller = new AbortController();
    const pending = cache.stream(request, upstream.start, { signal: controller.signal });
    await flush();
    expect(store.acquired).toHaveLength(1); // the claim is out
    controller.abort(new Error('caller left'));
    store.answer(); // the lease arrives after the caller left
    const stream = await pending;
    await expect(stream.next()).rejects.toThrow('caller left');
    await flush();
    expect(store).toMatchObject({ held: 0, released: 1 });
    expect(upstream.calls).toBe(0);
    expect(cache.stats().inFlight).toBe(0);

    // The key is free again: the next identical call claims and computes.
    store.manual = false;
    const next = await cache.stream(request, upstream.start);
    expect(next.status).toBe('miss');
    for await (const _chunk of next);
    await flush();
    expect(store).toMatchObject({ held: 0, released: 2 });
  });

  it('releases the whole-response lease that arrives afterwards, and computes nothing', async () => {
    const store = new CoordinatingStore(true);
    store.manual = true;
    const cache = new LLMCache({ store });
    const controller = new AbortController();
    const compute = counted();
    const pending = cache.getOrCompute(request, compute, { signal: controller.signal });
    await flush();
    expect(store.acquired).toHaveLength(1);
    controller.abort(new Error('caller left'));
    store.answer();
    await expect(pending).rejects.toThrow('caller left');
    await flush();
    expect(store).toMatchObject({ held: 0, released: 1 });
    expect(compute.calls).toBe(0);
  });
});
