import type { Dispatcher } from 'undici';
import { ChunkQueue } from './chunk-queue.js';
import { OllamaError } from './errors.js';
import { parseJsonBody } from './json-body.js';
import type { RequestScope } from './request-scope.js';

/** Body chunks held for a consumer that is behind before reading from the socket pauses. */
export const BODY_HIGH_WATER = 16;
const BODY_LOW_WATER = 4;

/** The body of a `request()` response: read it once, as chunks or whole. */
export interface RawResponseBody extends AsyncIterable<Uint8Array> {
  /** The whole body as UTF-8 text (at most `maxBodyBytes`). */
  text(): Promise<string>;
  /** The whole body parsed as JSON (at most `maxBodyBytes`); OLLAMA_PROTOCOL_ERROR if it is not JSON. */
  json(): Promise<unknown>;
  /** The whole body's bytes (at most `maxBodyBytes`). */
  bytes(): Promise<Uint8Array>;
  /** Stop reading: the request is aborted and its socket closed (a no-op once the body has ended). */
  cancel(reason?: unknown): void;
  /** True once the body has been read (iterated, or one of text(), json(), bytes() called). */
  readonly used: boolean;
}

type Waiter = {
  resolve(result: IteratorResult<Uint8Array, undefined>): void;
  reject(error: unknown): void;
};

/**
 * A response body fed by the exchange's sink. Chunks wait in a queue of 16; past it reading from
 * the socket pauses (TCP back-pressure slows the server; `idleMs` does not count meanwhile).
 * Chunks that arrived before a failure are yielded, then the failure.
 */
export class ResponseBody implements RawResponseBody {
  readonly #scope: RequestScope;
  readonly #controller: Dispatcher.DispatchController;
  readonly #host: string;
  readonly #maxBodyBytes: number;
  readonly #queue: ChunkQueue<Uint8Array>;
  #state: 'open' | 'ended' | 'failed' = 'open';
  #error: unknown;
  #waiter: Waiter | undefined;
  #used = false;

  constructor(
    scope: RequestScope,
    controller: Dispatcher.DispatchController,
    host: string,
    maxBodyBytes: number,
  ) {
    this.#scope = scope;
    this.#controller = controller;
    this.#host = host;
    this.#maxBodyBytes = maxBodyBytes;
    this.#queue = new ChunkQueue(BODY_HIGH_WATER, BODY_LOW_WATER, this.#pause, this.#resume);
  }

  get used(): boolean {
    return this.#used;
  }

  /** @internal Chunks held now (for tests of the bound). */
  get buffered(): number {
    return this.#queue.length;
  }

  /** @internal From the sink: a chunk arrived. */
  push(chunk: Uint8Array): void {
    if (this.#state !== 'open') return;
    this.#scope.deadlines.chunk(performance.now());
    if (this.#waiter) {
      const waiter = this.#waiter;
      this.#waiter = undefined;
      waiter.resolve({ value: chunk, done: false });
    } else {
      this.#queue.push(chunk);
    }
  }

  /** @internal From the sink: the body ended. */
  end(): void {
    if (this.#state !== 'open') return;
    this.#state = 'ended';
    this.#scope.dispose();
    this.#waiter?.resolve({ value: undefined, done: true });
    this.#waiter = undefined;
  }

  /** @internal From the sink: the exchange failed (reset, deadline, abort). */
  fail(error: unknown): void {
    if (this.#state !== 'open') return;
    this.#state = 'failed';
    this.#error = error;
    // An abort (the caller's signal, a deadline, close()) ends the body at once: chunks still
    // queued are dropped, as a fetch body does. Data that arrived before a network failure stays.
    if (this.#scope.aborted) this.#queue.clear();
    this.#scope.dispose();
    this.#waiter?.reject(error);
    this.#waiter = undefined;
  }

  cancel(reason?: unknown): void {
    this.#queue.clear();
    if (this.#state !== 'open') return;
    this.#scope.abort(
      new OllamaError('OLLAMA_ABORTED', 'The response body was cancelled', { cause: reason }),
    );
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array, undefined> {
    this.#take();
    return {
      next: () => this.#next(),
      return: () => {
        this.cancel('the consumer stopped iterating');
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  async bytes(): Promise<Uint8Array> {
    this.#take();
    const parts: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { value, done } = await this.#next();
      if (done) break;
      size += value.byteLength;
      if (size > this.#maxBodyBytes) {
        const message = `Ollama at ${this.#host} sent a response body larger than maxBodyBytes (${this.#maxBodyBytes} bytes)`;
        const error = new OllamaError('OLLAMA_PROTOCOL_ERROR', message, { host: this.#host });
        this.#queue.clear();
        this.#scope.abort(error);
        throw error;
      }
      parts.push(value);
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
  }

  async text(): Promise<string> {
    const bytes = await this.bytes();
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  }

  async json(): Promise<unknown> {
    return parseJsonBody(await this.text(), this.#host);
  }

  #take(): void {
    if (this.#used) throw new TypeError('The response body was already read; read it once');
    this.#used = true;
  }

  #next(): Promise<IteratorResult<Uint8Array, undefined>> {
    if (this.#queue.length > 0) return Promise.resolve({ value: this.#queue.shift(), done: false });
    if (this.#state === 'failed') return Promise.reject(this.#error);
    if (this.#state === 'ended') return Promise.resolve({ value: undefined, done: true });
    if (this.#waiter)
      return Promise.reject(new TypeError('next() called before the previous next() settled'));
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
    });
  }

  #pause = (): void => {
    this.#controller.pause();
    this.#scope.deadlines.pause();
  };

  #resume = (): void => {
    this.#scope.deadlines.resume(performance.now());
    if (this.#state === 'open') this.#controller.resume();
  };
}
