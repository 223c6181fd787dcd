import type { Dispatcher } from 'undici';
import { ChunkQueue } from './chunk-queue.js';
import type { ChunkBase } from './common-types.js';
import { OllamaError } from './errors.js';
import {
  type ClientContext,
  exchange,
  type Outgoing,
  type ResponseSink,
  transportError,
} from './exchange.js';
import type { HostRecord } from './host-pool.js';
import { ERROR_BODY_BYTES, httpError } from './http-error.js';
import { NdjsonDecoder } from './ndjson-decoder.js';
import type { RequestScope } from './request-scope.js';
import type { Accumulator, StreamRoute } from './stream-routes.js';
import { TextCollector } from './text-collector.js';
import { type StreamTimings, streamTimings } from './timings.js';
import { validate } from './validate.js';

/** Chunks parsed ahead of the consumer before reading from the socket pauses. */
const HIGH_WATER = 256;
const LOW_WATER = 32;

interface Settle<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}

/**
 * A streamed chat or generate call: an AsyncIterable of Ollama's chunks (iterate it once), plus
 * `abort()`, `final()` and `timings`. The request starts at once; bytes come straight from undici's
 * dispatch and are parsed as they arrive (so timings and deadlines see the network, not the
 * consumer); chunks wait in a bounded queue, past which reading from the socket pauses.
 * Breaking out of `for await`, throwing in its body, `abort()`, the caller's signal or a deadline all
 * abort the HTTP request and close its socket, so Ollama stops generating.
 */
export class OllamaStream<T extends ChunkBase> implements AsyncIterable<T> {
  readonly #route: StreamRoute<T>;
  readonly #scope: RequestScope;
  readonly #decoder: NdjsonDecoder;
  readonly #accumulator: Accumulator<T>;
  readonly #queue: ChunkQueue<T>;
  readonly #values: unknown[] = [];
  readonly #model: string;
  readonly #maxBodyBytes: number;
  /** Set once the gathered answer passed maxBodyBytes: what final() rejects with. */
  #tooLong: OllamaError | undefined;
  #state: 'running' | 'done' | 'failed' = 'running';
  /** An OllamaError, or what undici threw for a bad request (e.g. an invalid header value). */
  #error: unknown;
  #result: T | undefined;
  #controller: Dispatcher.DispatchController | undefined;
  /** Set when Ollama answered with an error status: its body, gathered for the message. */
  #errorBody: TextCollector | undefined;
  #status = 0;
  #host: string;
  #waiter: Settle<IteratorResult<T, undefined>> | undefined;
  #finals: Array<Settle<T>> = [];
  #iterated = false;
  #draining = false;
  readonly #startedAt = performance.now();
  #firstTokenAt: number | undefined;
  #firstContentAt: number | undefined;
  #endedAt: number | undefined;
  #chunks = 0;

  /** @internal Created by OllamaClient.chat() and generate(). */
  constructor(
    context: ClientContext,
    route: StreamRoute<T>,
    outgoing: Outgoing,
    scope: RequestScope,
    model: string,
  ) {
    this.#route = route;
    this.#scope = scope;
    this.#model = model;
    this.#host = context.upstreams.urls.join(', ');
    this.#decoder = new NdjsonDecoder(context.options.maxLineBytes);
    this.#maxBodyBytes = context.options.maxBodyBytes;
    this.#accumulator = route.accumulator(this.#maxBodyBytes);
    this.#queue = new ChunkQueue<T>(HIGH_WATER, LOW_WATER, this.#pause, this.#resume);
    exchange(context, outgoing, scope, this.#sink);
  }

  /** Base URL of the host that answered (all hosts until one has). */
  get host(): string {
    return this.#host;
  }

  /** Timings so far; Ollama's durations appear with the final chunk. */
  get timings(): StreamTimings {
    return streamTimings(
      this.#startedAt,
      this.#firstTokenAt,
      this.#firstContentAt,
      this.#endedAt,
      this.#chunks,
      this.#result,
    );
  }

  /** Abort the call: the socket is closed, a pending `next()` or `final()` rejects with OLLAMA_ABORTED. */
  abort(reason?: unknown): void {
    if (this.#state !== 'running') return;
    this.#scope.abort(new OllamaError('OLLAMA_ABORTED', 'The Ollama stream was aborted', { cause: reason }));
  }

  /**
   * The whole answer, as `stream: false` would give it: text, thinking and tool calls gathered from
   * every chunk, with the final chunk's metrics. Reads the rest of the stream itself; chunks a loop
   * has not taken yet are then no longer yielded. Rejects with OLLAMA_PROTOCOL_ERROR once the answer
   * passes `maxBodyBytes` (iteration is not affected).
   */
  final(): Promise<T> {
    if (this.#tooLong) return Promise.reject(this.#tooLong);
    if (this.#state === 'done') return Promise.resolve(this.#result!);
    if (this.#state === 'failed') return Promise.reject(this.#error);
    if (!this.#waiter) {
      this.#draining = true;
      this.#queue.clear();
    }
    return new Promise<T>((resolve, reject) => this.#finals.push({ resolve, reject }));
  }

  [Symbol.asyncIterator](): AsyncIterator<T, undefined> {
    if (this.#iterated) throw new TypeError('An Ollama stream can be iterated only once');
    this.#iterated = true;
    return {
      next: () => this.#next(),
      return: () => {
        this.abort('the consumer stopped iterating');
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  #next(): Promise<IteratorResult<T, undefined>> {
    if (this.#queue.length > 0) return Promise.resolve({ value: this.#queue.shift(), done: false });
    if (this.#state === 'failed') return Promise.reject(this.#error);
    if (this.#state === 'done') return Promise.resolve({ value: undefined, done: true });
    if (this.#waiter)
      return Promise.reject(new TypeError('next() called before the previous next() settled'));
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
    });
  }

  readonly #sink: ResponseSink = {
    start: (statusCode: number, host: HostRecord, controller: Dispatcher.DispatchController) => {
      this.#status = statusCode;
      this.#host = host.url;
      this.#scope.deadlines.host = host.url;
      this.#controller = controller;
      if (statusCode < 200 || statusCode > 299) this.#errorBody = new TextCollector(ERROR_BODY_BYTES);
      else if (this.#queue.full) controller.pause();
    },
    data: (chunk: Buffer) => {
      if (this.#state !== 'running') return;
      if (this.#errorBody) {
        if (!this.#errorBody.push(chunk))
          this.#fail(httpError(this.#status, this.#errorBody.text(), this.#host, this.#model));
        return;
      }
      const values = this.#values;
      let failure: unknown;
      try {
        this.#decoder.push(chunk, values);
      } catch (error) {
        failure = error;
      }
      const now = performance.now();
      for (let i = 0; i < values.length && this.#state === 'running'; i++) this.#accept(values[i], now);
      values.length = 0;
      if (failure !== undefined) this.#fail(failure);
    },
    end: () => {
      if (this.#state !== 'running') return;
      if (this.#errorBody) {
        this.#fail(httpError(this.#status, this.#errorBody.text(), this.#host, this.#model));
        return;
      }
      try {
        this.#decoder.end(this.#values);
      } catch (error) {
        this.#fail(error);
        return;
      }
      const now = performance.now();
      for (let i = 0; i < this.#values.length && this.#state === 'running'; i++)
        this.#accept(this.#values[i], now);
      this.#values.length = 0;
      this.#protocolError(`the ${this.#route.what} stream ended before its final chunk (done: true)`);
    },
    error: (error: unknown) => {
      if (this.#state !== 'running') return;
      this.#fail(
        transportError(
          error,
          this.#host,
          `the connection closed before the ${this.#route.what} stream ended (no final chunk with done: true); ` +
            "Ollama's log says why (a runner that crashed or ran out of memory ends its streams this way)",
        ),
      );
    },
  };

  #accept(value: unknown, now: number): void {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.#protocolError(`line ${this.#decoder.lines} of the ${this.#route.what} stream is not an object`);
      return;
    }
    const record = value as Record<string, unknown>;
    if (record.error !== undefined) {
      const ollamaMessage = typeof record.error === 'string' ? record.error : undefined;
      const message = ollamaMessage ?? JSON.stringify(record.error);
      this.#fail(
        new OllamaError('OLLAMA_STREAM_ERROR', `Ollama at ${this.#host} failed mid-stream: ${message}`, {
          host: this.#host,
          model: this.#model,
          ollamaMessage,
        }),
      );
      return;
    }
    if (!this.#route.isChunk(record)) {
      this.#protocolError(`line ${this.#decoder.lines} is not a ${this.#route.what} chunk`);
      return;
    }
    let chunk: T = record;
    if (this.#route.needsValidation(chunk)) {
      try {
        chunk = validate(this.#route.schema, record, `a ${this.#route.what} chunk`, this.#host);
      } catch (error) {
        this.#fail(error);
        return;
      }
    }
    this.#chunks++;
    if (this.#firstTokenAt === undefined) this.#firstTokenAt = now;
    if (this.#firstContentAt === undefined && this.#route.content(chunk) !== '') this.#firstContentAt = now;
    this.#scope.deadlines.chunk(now);
    if (this.#tooLong === undefined && !this.#accumulator.add(chunk)) {
      this.#answerTooLong();
      if (this.#state !== 'running') return;
    }
    if (chunk.done) {
      this.#endedAt = now;
      // Past the limit nothing was gathered: the final chunk alone carries Ollama's metrics for timings.
      this.#result = this.#tooLong ? chunk : this.#accumulator.result(chunk);
    }
    if (this.#waiter) {
      const waiter = this.#waiter;
      this.#waiter = undefined;
      waiter.resolve({ value: chunk, done: false });
    } else if (!this.#draining) {
      this.#queue.push(chunk);
    }
    if (chunk.done) this.#complete();
  }

  #complete(): void {
    this.#state = 'done';
    this.#scope.dispose();
    // Let the rest of the body (the end of the response) flow, so the connection is reused.
    if (this.#controller?.paused) this.#controller.resume();
    for (const final of this.#finals.splice(0)) final.resolve(this.#result!);
  }

  /** The gathered answer passed maxBodyBytes: final() can no longer give it; iteration goes on. */
  #answerTooLong(): void {
    const error = new OllamaError(
      'OLLAMA_PROTOCOL_ERROR',
      `Ollama at ${this.#host}: the ${this.#route.what} answer exceeded maxBodyBytes (${this.#maxBodyBytes} bytes), ` +
        'so final() cannot return it; iterate the stream instead for very long answers, or raise maxBodyBytes',
      { host: this.#host, model: this.#model },
    );
    this.#tooLong = error;
    // When final() is the only reader, nothing will use the rest: close the request so Ollama stops.
    if (this.#draining && !this.#waiter) {
      this.#fail(error);
      return;
    }
    for (const final of this.#finals.splice(0)) final.reject(error);
  }

  #protocolError(message: string, cause?: unknown): void {
    this.#fail(
      new OllamaError('OLLAMA_PROTOCOL_ERROR', `Ollama at ${this.#host}: ${message}`, {
        cause,
        host: this.#host,
        model: this.#model,
      }),
    );
  }

  #fail(error: unknown): void {
    if (this.#state !== 'running') return;
    this.#state = 'failed';
    this.#endedAt = performance.now();
    this.#error = error;
    // An abort (signal, abort(), a deadline, close()) ends the stream at once: chunks parsed but not
    // yet read are dropped. After an error line or a network failure, they are still read first.
    if (this.#scope.aborted) this.#queue.clear();
    this.#scope.dispose();
    // Close the socket if the response is still coming (a no-op once undici has finished it).
    this.#controller?.abort(this.#error instanceof Error ? this.#error : new Error(String(this.#error)));
    if (this.#waiter) {
      const waiter = this.#waiter;
      this.#waiter = undefined;
      waiter.reject(this.#error);
    }
    for (const final of this.#finals.splice(0)) final.reject(this.#error);
  }

  #pause = (): void => {
    this.#controller?.pause();
    this.#scope.deadlines.pause();
  };

  #resume = (): void => {
    this.#scope.deadlines.resume(performance.now());
    if (this.#state === 'running') this.#controller?.resume();
  };
}
