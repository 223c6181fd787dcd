import type { CacheEntry } from './cache-entry.js';
import type { CacheStream, LLMChunk } from './types.js';

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * A stored answer played back: the recorded chunks, the same objects in the same order. At once
 * by default; with `pace`, the first chunk at once and each next one after the gap recorded
 * between them upstream.
 */
export class ReplayStream<C extends LLMChunk> implements CacheStream<C> {
  readonly status = 'hit' as const;
  readonly key: string;
  readonly #entry: CacheEntry<C>;
  readonly #pace: boolean;
  readonly #signal: AbortSignal | undefined;
  #index = 0;
  #closed = false;
  #sleep:
    | { timer: NodeJS.Timeout; resolve: (result: IteratorResult<C>) => void; onAbort: () => void }
    | undefined;

  constructor(key: string, entry: CacheEntry<C>, pace: boolean, signal: AbortSignal | undefined) {
    this.key = key;
    this.#entry = entry;
    this.#pace = pace;
    this.#signal = signal;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<C>> {
    const chunks = this.#entry.chunks;
    if (this.#closed || this.#index >= chunks.length) {
      this.#closed = true;
      return Promise.resolve(DONE);
    }
    if (this.#signal?.aborted) {
      this.#closed = true;
      return Promise.reject(this.#signal.reason);
    }
    const index = this.#index++;
    const result: IteratorResult<C> = { done: false, value: chunks[index] as C };
    const timings = this.#entry.timings;
    const gap = this.#pace && index > 0 ? (timings[index] ?? 0) - (timings[index - 1] ?? 0) : 0;
    if (gap <= 0) return Promise.resolve(result);
    return this.#wait(gap, result);
  }

  return(): Promise<IteratorResult<C>> {
    this.#closed = true;
    const sleep = this.#sleep;
    if (sleep !== undefined) {
      clearTimeout(sleep.timer);
      this.#signal?.removeEventListener('abort', sleep.onAbort);
      this.#sleep = undefined;
      sleep.resolve(DONE); // the next() waiting out a gap ends too
    }
    return Promise.resolve(DONE);
  }

  #wait(ms: number, result: IteratorResult<C>): Promise<IteratorResult<C>> {
    return new Promise((resolve, reject) => {
      const signal = this.#signal;
      const onAbort = () => {
        clearTimeout(timer);
        this.#sleep = undefined;
        this.#closed = true;
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        this.#sleep = undefined;
        resolve(this.#closed ? DONE : result);
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#sleep = { timer, resolve, onAbort };
    });
  }
}
