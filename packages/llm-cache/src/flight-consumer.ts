import type { CacheStream, LLMCacheStatus, LLMChunk } from './types.js';

/** What a consumer needs of the flight it reads: `StreamFlight` is the one. */
export interface Flight<C extends LLMChunk> {
  /** Chunks recorded so far. */
  readonly received: number;
  readonly ended: boolean;
  readonly failed: boolean;
  readonly error: unknown;
  chunkAt(index: number): C;
  /** Asks upstream for more (a consumer waits). */
  pull(): void;
  /** A consumer moved its cursor: room may have been made. */
  advanced(): void;
  detach(consumer: FlightConsumer<C>): void;
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * One caller's view of a {@link Flight}: its own cursor, its own signal. Leaving (the end,
 * `break`, `return()` or an abort) only detaches this consumer.
 */
export class FlightConsumer<C extends LLMChunk> implements CacheStream<C> {
  /** Settled before the stream is handed out (a cross-process wait can turn a miss into a join). */
  status: LLMCacheStatus;
  readonly key: string | undefined;
  readonly #flight: Flight<C>;
  readonly #signal: AbortSignal | undefined;
  #cursor = 0;
  #closed = false;
  #resolve: ((result: IteratorResult<C>) => void) | undefined;
  #reject: ((error: unknown) => void) | undefined;
  #pending: Promise<IteratorResult<C>> | undefined;
  /** Set when this consumer's signal aborted it: every later next() rejects with the reason. */
  #aborted = false;

  constructor(flight: Flight<C>, signal: AbortSignal | undefined, status: LLMCacheStatus, key?: string) {
    this.#flight = flight;
    this.#signal = signal;
    this.status = status;
    this.key = key;
    signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  get cursor(): number {
    return this.#cursor;
  }

  /** True while a `next()` waits for a chunk that has not arrived. */
  get waiting(): boolean {
    return this.#resolve !== undefined;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<C>> {
    if (this.#pending !== undefined) {
      // A second next() before the first settled: serve it after, in order.
      const step = () => this.next();
      return this.#pending.then(step, step);
    }
    try {
      const result = this.#read();
      if (result !== undefined) return Promise.resolve(result);
    } catch (error) {
      return Promise.reject(error);
    }
    const pending = new Promise<IteratorResult<C>>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.#pending = pending;
    this.#flight.pull();
    return pending;
  }

  return(): Promise<IteratorResult<C>> {
    this.#close();
    this.#settle(DONE);
    return Promise.resolve(DONE);
  }

  /** Called by the flight when a chunk arrived, upstream ended, or room was made. */
  wake(): void {
    if (this.#resolve === undefined) return;
    let result: IteratorResult<C> | undefined;
    try {
      result = this.#read();
    } catch (error) {
      this.#settle(undefined, error);
      return;
    }
    if (result !== undefined) this.#settle(result);
    else this.#flight.pull();
  }

  /** The next result if one is ready; throws the upstream error or the abort reason. */
  #read(): IteratorResult<C> | undefined {
    if (this.#aborted) throw this.#signal?.reason;
    if (this.#closed) return DONE;
    if (this.#signal?.aborted) {
      this.#aborted = true;
      this.#close();
      throw this.#signal.reason;
    }
    const flight = this.#flight;
    if (this.#cursor < flight.received) {
      const chunk = flight.chunkAt(this.#cursor);
      this.#cursor++;
      flight.advanced();
      return { done: false, value: chunk };
    }
    if (!flight.ended) return undefined;
    this.#close();
    if (flight.failed) throw flight.error;
    return DONE;
  }

  #settle(result: IteratorResult<C> | undefined, error?: unknown): void {
    const resolve = this.#resolve;
    const reject = this.#reject;
    this.#resolve = undefined;
    this.#reject = undefined;
    this.#pending = undefined;
    if (result !== undefined) resolve?.(result);
    else reject?.(error);
  }

  readonly #onAbort = (): void => {
    if (this.#closed) return;
    this.#aborted = true;
    this.#close();
    this.#settle(undefined, this.#signal?.reason);
  };

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#flight.detach(this);
  }
}
