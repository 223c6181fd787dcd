import { describe, expect, it, vi } from 'vitest';
import { chatChunks, flush } from '../test/fake-upstream.js';
import type { CacheEntry } from './cache-entry.js';
import { ReplayStream } from './replay-stream.js';
import type { LLMChunk } from './types.js';

const entry: CacheEntry = {
  version: 1,
  route: 'chat',
  chunks: chatChunks(['slow', 'words']),
  streamed: true,
  timings: [0, 60_000, 120_000],
  durationMs: 120_000,
  createdAt: Date.now(),
  size: 100,
};

describe('ReplayStream', () => {
  it('ends a next() waiting out a paced gap when return() is called', async () => {
    const stream = new ReplayStream<LLMChunk>('k', entry, true, undefined);
    expect((await stream.next()).done).toBe(false);
    let settled: IteratorResult<LLMChunk> | undefined;
    const pending = stream.next().then((result) => {
      settled = result;
      return result;
    });
    await flush();
    expect(settled).toBeUndefined(); // waiting out a 60 s gap
    expect(await stream.return()).toEqual({ done: true, value: undefined });
    await flush();
    expect(settled).toEqual({ done: true, value: undefined });
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(await stream.next()).toEqual({ done: true, value: undefined });
  });

  it('leaves no timer behind after return() during a gap', async () => {
    vi.useFakeTimers();
    try {
      const signal = new AbortController().signal;
      const stream = new ReplayStream<LLMChunk>('k', entry, true, signal);
      await stream.next();
      const pending = stream.next();
      expect(vi.getTimerCount()).toBe(1);
      await stream.return();
      expect(vi.getTimerCount()).toBe(0);
      expect((await pending).done).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
