import { carriesAnswer, isFinalChunk, spoilsRecording } from './answer.js';
import type { CacheEntry } from './cache-entry.js';
import { deepFreeze } from './deep-freeze.js';
import { type Flight, FlightConsumer } from './flight-consumer.js';
import { isThenable } from './is-thenable.js';
import { ENTRY_OVERHEAD_BYTES, estimateBytes } from './size.js';
import type { LLMCacheStatus, LLMChunk, LLMRoute } from './types.js';

/** What `start` may return: the upstream chunks, or a promise of them. */
export type StreamSource<C> = AsyncIterable<C> | PromiseLike<AsyncIterable<C>>;

export interface StreamFlightOptions<C extends LLMChunk> {
  route: LLMRoute;
  /** Most bytes recorded; past it the answer is not stored and the buffer becomes a window. */
  maxEntryBytes: number;
  /** False for a bypass: one consumer, nothing recorded, nothing frozen. */
  shared: boolean;
  /** Called once when a complete, storable answer has been recorded (at its `done` chunk). */
  onRecorded(entry: CacheEntry<C>): void;
  /** Called once when identical calls may no longer join (ended, failed, spoiled or too big). */
  onClosed(): void;
}

/**
 * One upstream stream shared by every consumer that joined it. Chunks are pulled from upstream
 * when a consumer asks for one it has not got (so the upstream goes at the pace of the fastest
 * reader and a chunk reaches the consumer the moment it arrives) and kept so that a consumer
 * joining later receives every chunk from the start.
 *
 * Buffer bound: while recording, the buffer is the answer itself, at most `maxEntryBytes`. Past
 * that the answer will not be stored, no one else may join, and chunks every consumer has read are
 * dropped; if the slowest consumer falls `maxEntryBytes` behind, upstream is not pulled until it
 * catches up (a consumer that leaves with `break` or its signal releases the others at once).
 */
export class StreamFlight<C extends LLMChunk> implements Flight<C> {
  readonly #options: StreamFlightOptions<C>;
  readonly #controller = new AbortController();
  readonly #startedAt = performance.now();
  readonly #consumers = new Set<FlightConsumer<C>>();
  #iterator: AsyncIterator<C> | undefined;
  #source: PromiseLike<unknown> | undefined;
  #chunks: C[] = [];
  #sizes: number[] = [];
  #timings: number[] = [];
  /** Absolute index of `#chunks[0]`. */
  #base = 0;
  #bytes = 0;
  #recording: boolean;
  #spoiled = false;
  #answered = false;
  #finished = false;
  #ended = false;
  #failed = false;
  #error: unknown;
  #pulling = false;
  #open = true;
  /** True while identical calls should join and a stored answer should result. */
  store = true;
  /**
   * False while the flight may replay an answer stored before it began (a cross-process claim
   * still pending, or served from elsewhere): a `no-cache` call does not join it then.
   */
  fresh = true;

  constructor(start: (signal: AbortSignal) => StreamSource<C>, options: StreamFlightOptions<C>) {
    this.#options = options;
    this.#recording = options.shared;
    try {
      const source = start(this.#controller.signal);
      if (isThenable(source)) {
        this.#source = (source as PromiseLike<AsyncIterable<C>>).then(
          (iterable) => {
            try {
              this.#adopt(iterable);
            } catch (error) {
              this.#fail(error);
            }
          },
          (error: unknown) => this.#fail(error),
        );
      } else {
        this.#adopt(source as AsyncIterable<C>);
      }
    } catch (error) {
      this.#fail(error);
    }
  }

  /** Whether an identical call may join now. */
  get joinable(): boolean {
    return this.#open;
  }

  attach(
    signal: AbortSignal | undefined,
    status: LLMCacheStatus,
    key: string | undefined,
  ): FlightConsumer<C> {
    const consumer = new FlightConsumer<C>(this, signal, status, key);
    this.#consumers.add(consumer);
    return consumer;
  }

  /** Chunk at absolute index `cursor`; the caller checks `cursor < received` first. */
  chunkAt(cursor: number): C {
    return this.#chunks[cursor - this.#base] as C;
  }

  /** Number of chunks received so far (absolute). */
  get received(): number {
    return this.#base + this.#chunks.length;
  }

  get ended(): boolean {
    return this.#ended;
  }

  get failed(): boolean {
    return this.#failed;
  }

  get error(): unknown {
    return this.#error;
  }

  /** A consumer moved its cursor: drop what everyone has read once the answer is not kept. */
  advanced(): void {
    if (this.#recording || this.#chunks.length === 0) return;
    let slowest = Number.POSITIVE_INFINITY;
    for (const consumer of this.#consumers) slowest = Math.min(slowest, consumer.cursor);
    let drop = Math.min(slowest, this.received) - this.#base;
    if (drop <= 0) return;
    this.#base += drop;
    while (drop-- > 0) {
      this.#chunks.shift();
      this.#bytes -= this.#sizes.shift() ?? 0;
    }
    this.pull();
  }

  /** A consumer left (done, `return()`, or aborted). The last one out stops upstream. */
  detach(consumer: FlightConsumer<C>): void {
    if (!this.#consumers.delete(consumer)) return;
    if (this.#consumers.size > 0) {
      this.advanced();
      return;
    }
    if (this.#ended) return;
    this.#ended = true;
    this.#close();
    if (!this.#finished) this.#controller.abort();
    this.#releaseUpstream();
  }

  /** Asks upstream for the next chunk unless a request is out or the window is full. */
  pull(): void {
    if (this.#pulling || this.#ended) return;
    if (!this.#recording && this.#bytes >= this.#options.maxEntryBytes) return;
    if (!this.#waiting()) return;
    const iterator = this.#iterator;
    if (iterator === undefined) {
      if (this.#source === undefined) return;
      this.#pulling = true;
      this.#source.then(() => {
        this.#pulling = false;
        this.pull();
      });
      return;
    }
    this.#pulling = true;
    let step: Promise<IteratorResult<C>>;
    try {
      step = iterator.next();
    } catch (error) {
      this.#fail(error);
      return;
    }
    step.then(this.#onStep, this.#onError);
  }

  #waiting(): boolean {
    for (const consumer of this.#consumers) if (consumer.waiting) return true;
    return false;
  }

  readonly #onStep = (result: IteratorResult<C>): void => {
    if (this.#ended) return;
    this.#pulling = false;
    if (result.done) {
      this.#ended = true;
      this.#close();
    } else {
      this.#append(result.value);
    }
    for (const consumer of this.#consumers) consumer.wake();
  };

  readonly #onError = (error: unknown): void => {
    this.#pulling = false;
    this.#fail(error);
  };

  #append(chunk: C): void {
    const final = !this.#finished && isFinalChunk(chunk);
    if (final) this.#finished = true;
    if (!this.#options.shared) {
      this.#chunks.push(chunk);
      this.#sizes.push(0);
      return;
    }
    deepFreeze(chunk);
    const size = estimateBytes(chunk);
    this.#chunks.push(chunk);
    this.#sizes.push(size);
    this.#bytes += size;
    if (!this.#recording) return;
    this.#timings.push(Math.round(performance.now() - this.#startedAt));
    if (spoilsRecording(chunk)) this.#spoiled = true;
    else if (!this.#answered && carriesAnswer(chunk)) this.#answered = true;
    if (this.#spoiled || this.#bytes + ENTRY_OVERHEAD_BYTES > this.#options.maxEntryBytes) {
      this.#stopRecording();
    } else if (final && this.#answered && this.store) {
      this.#options.onRecorded(this.#entry());
    }
  }

  #entry(): CacheEntry<C> {
    return {
      version: 1,
      route: this.#options.route,
      chunks: this.#chunks.slice(),
      streamed: true,
      timings: this.#timings.slice(),
      durationMs: performance.now() - this.#startedAt,
      createdAt: Date.now(),
      size: this.#bytes + ENTRY_OVERHEAD_BYTES + 8 * this.#timings.length,
    };
  }

  #stopRecording(): void {
    this.#recording = false;
    this.#timings = [];
    this.#close();
    this.advanced();
  }

  #fail(error: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#failed = true;
    this.#error = error;
    this.#close();
    for (const consumer of this.#consumers) consumer.wake();
  }

  #close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#options.onClosed();
  }

  #adopt(iterable: AsyncIterable<C>): void {
    const iterator = iteratorOf(iterable);
    if (this.#ended) {
      closeQuietly(iterator);
      return;
    }
    this.#iterator = iterator;
  }

  #releaseUpstream(): void {
    if (this.#iterator !== undefined) closeQuietly(this.#iterator);
  }
}

function iteratorOf<C>(iterable: AsyncIterable<C>): AsyncIterator<C> {
  const method = (iterable as { [Symbol.asyncIterator]?: unknown } | null)?.[Symbol.asyncIterator];
  if (typeof method !== 'function') {
    throw new TypeError('`start` must return an AsyncIterable of chunks (or a promise of one)');
  }
  return method.call(iterable) as AsyncIterator<C>;
}

function closeQuietly(iterator: AsyncIterator<unknown>): void {
  try {
    const closing = iterator.return?.();
    if (isThenable(closing)) closing.then(undefined, () => {});
  } catch {
    // The upstream is being abandoned; its clean-up errors reach no one.
  }
}
