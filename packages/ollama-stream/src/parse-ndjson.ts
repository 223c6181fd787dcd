import { DEFAULT_MAX_LINE_BYTES, NdjsonDecoder } from './ndjson-decoder.js';
import { checkOptions, positiveInteger } from './options.js';

const PARSE_OPTIONS: ReadonlySet<string> = new Set(['maxLineBytes']);

export interface ParseNdjsonOptions {
  /** Longest line accepted, in bytes; a longer one is an error, never an unbounded buffer. Default 16 MiB. */
  maxLineBytes?: number;
}

/**
 * Parse newline-delimited JSON from a byte source (a Node stream, an undici body, a fetch body, ...),
 * yielding one value per line. Lines may be split anywhere across chunks, inside a multi-byte
 * character too; `\r\n`, blank lines and a last line without a newline are accepted. A malformed or
 * oversized line throws an OllamaError (`OLLAMA_PROTOCOL_ERROR`) naming the line number, and the
 * source is closed. Breaking out of the loop closes the source too.
 */
export function parseNdjson<T = unknown>(
  source: AsyncIterable<Uint8Array>,
  options: ParseNdjsonOptions = {},
): AsyncIterableIterator<T> {
  checkOptions(options, PARSE_OPTIONS, 'parseNdjson options');
  const maxLineBytes = positiveInteger('maxLineBytes', options.maxLineBytes, DEFAULT_MAX_LINE_BYTES);
  return new NdjsonIterator<T>(source[Symbol.asyncIterator](), new NdjsonDecoder(maxLineBytes));
}

/** A hand-written iterator: one resolved promise per value, no generator machinery per line. */
class NdjsonIterator<T> implements AsyncIterableIterator<T> {
  readonly #source: AsyncIterator<Uint8Array>;
  readonly #decoder: NdjsonDecoder;
  #values: unknown[] = [];
  #next = 0;
  #ended = false;
  #error: unknown;

  constructor(source: AsyncIterator<Uint8Array>, decoder: NdjsonDecoder) {
    this.#source = source;
    this.#decoder = decoder;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<T, undefined>> {
    for (;;) {
      if (this.#next < this.#values.length) {
        return { value: this.#values[this.#next++] as T, done: false };
      }
      if (this.#error !== undefined) {
        const error = this.#error;
        this.#error = undefined;
        throw error;
      }
      if (this.#ended) return { value: undefined, done: true };
      if (this.#next > 0) {
        this.#values = [];
        this.#next = 0;
      }
      const result = await this.#source.next();
      try {
        if (result.done) {
          this.#ended = true;
          this.#decoder.end(this.#values);
        } else {
          this.#decoder.push(result.value, this.#values);
        }
      } catch (error) {
        // Values parsed before the bad line are still yielded, then the error is thrown.
        this.#error = error;
        if (!this.#ended) {
          this.#ended = true;
          await this.#source.return?.();
        }
      }
    }
  }

  async return(): Promise<IteratorResult<T, undefined>> {
    this.#values.length = 0;
    this.#next = 0;
    if (!this.#ended) {
      this.#ended = true;
      await this.#source.return?.();
    }
    return { value: undefined, done: true };
  }
}
