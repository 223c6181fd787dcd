import { describe, expect, it, vi } from 'vitest';
import { flush } from '../test/fake-upstream.js';
import { LLMCache } from './llm-cache.js';
import type { LLMChunk, LLMRequest } from './types.js';

const request: LLMRequest = {
  model: 'llama3.2:3b',
  prompt: 'Why is the sky blue?',
  options: { temperature: 0 },
};
const answer: LLMChunk = {
  model: 'llama3.2:3b',
  response: 'Rayleigh scattering.',
  done: true,
  done_reason: 'stop',
};

/** A computation the test settles by hand. */
function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  let reject: (error: unknown) => void = () => {};
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  const signals: AbortSignal[] = [];
  const compute = vi.fn((signal: AbortSignal) => {
    signals.push(signal);
    return promise;
  });
  return { promise, resolve, reject, compute, signals };
}

describe('LLMCache.getOrCompute', () => {
  it('computes on a miss, then serves the stored value', async () => {
    const cache = new LLMCache();
    const compute = vi.fn(async () => answer);
    expect(await cache.getOrCompute(request, compute)).toEqual({ value: answer, status: 'miss' });
    expect(await cache.getOrCompute(request, compute)).toEqual({ value: answer, status: 'hit' });
    expect(compute).toHaveBeenCalledTimes(1);
  });

  it('computes once for 100 concurrent identical calls', async () => {
    const cache = new LLMCache();
    const pending = deferred<LLMChunk>();
    const calls = Array.from({ length: 100 }, () => cache.getOrCompute(request, pending.compute));
    pending.resolve(answer);
    const results = await Promise.all(calls);
    expect(pending.compute).toHaveBeenCalledTimes(1);
    expect(results.filter((result) => result.status === 'joined')).toHaveLength(99);
    for (const result of results) expect(result.value).toEqual(answer);
  });

  it('lets one participant leave without aborting the computation', async () => {
    const cache = new LLMCache();
    const pending = deferred<LLMChunk>();
    const leaving = new AbortController();
    const first = cache.getOrCompute(request, pending.compute, { signal: leaving.signal });
    const second = cache.getOrCompute(request, pending.compute);
    leaving.abort(new Error('gone'));
    await expect(first).rejects.toThrow('gone');
    expect(pending.signals[0]?.aborted).toBe(false);
    pending.resolve(answer);
    expect(await second).toEqual({ value: answer, status: 'joined' });
    expect(cache.stats().entries).toBe(1);
  });

  it('aborts the computation when every participant has left, and stores nothing', async () => {
    const cache = new LLMCache();
    const pending = deferred<LLMChunk>();
    const a = new AbortController();
    const b = new AbortController();
    const first = cache.getOrCompute(request, pending.compute, { signal: a.signal });
    const second = cache.getOrCompute(request, pending.compute, { signal: b.signal });
    a.abort();
    b.abort();
    await expect(first).rejects.toThrow();
    await expect(second).rejects.toThrow();
    expect(pending.signals[0]?.aborted).toBe(true);
    pending.resolve(answer); // a computation that ignores its signal still is not stored
    await flush();
    expect(cache.stats()).toMatchObject({ entries: 0, inFlight: 0 });
  });

  it('hands the same error to every participant and stores nothing', async () => {
    const cache = new LLMCache();
    const pending = deferred<LLMChunk>();
    const failure = new Error('model not found');
    const calls = [
      cache.getOrCompute(request, pending.compute),
      cache.getOrCompute(request, pending.compute),
    ];
    pending.reject(failure);
    for (const call of calls) await expect(call).rejects.toBe(failure);
    expect(cache.stats().entries).toBe(0);
    expect((await cache.getOrCompute(request, async () => answer)).status).toBe('miss');
  });

  it.each([
    ['an error body', { error: 'server busy' }],
    ['an empty answer', { model: 'm', response: '', done: true }],
    ['an unfinished response', { model: 'm', response: 'partial', done: false }],
    ['empty embeddings', { model: 'nomic-embed-text', embeddings: [] }],
  ])('stores nothing for %s', async (_name, value) => {
    const cache = new LLMCache();
    await cache.getOrCompute(request, async () => value as LLMChunk);
    expect(cache.stats().entries).toBe(0);
  });

  it('does not store a value past maxEntryBytes', async () => {
    const cache = new LLMCache({ maxEntryBytes: 1_000 });
    await cache.getOrCompute(request, async () => ({ ...answer, response: 'z'.repeat(2_000) }));
    expect(cache.stats().entries).toBe(0);
  });

  it('passes a bypassed call its own signal and does not freeze its value', async () => {
    const cache = new LLMCache();
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const { value, status } = await cache.getOrCompute(
      { ...request, options: {} },
      async (signal) => {
        seen = signal;
        return { ...answer };
      },
      { signal: controller.signal },
    );
    expect(status).toBe('bypass');
    expect(Object.isFrozen(value)).toBe(false);
    expect(seen?.aborted).toBe(false);
  });

  it("honours 'no-store' and 'refresh'", async () => {
    const cache = new LLMCache();
    await cache.getOrCompute(request, async () => answer, { mode: 'no-store' });
    expect(cache.stats().entries).toBe(0);
    await cache.getOrCompute(request, async () => answer);
    const newer = { ...answer, response: 'Because of scattering.' };
    expect((await cache.getOrCompute(request, async () => newer, { mode: 'refresh' })).status).toBe('miss');
    expect((await cache.getOrCompute(request, async () => answer)).value).toEqual(newer);
  });
});
