import { ChunkShortcut } from './chunk-shortcut.js';
import { OllamaError } from './errors.js';

/** Default longest NDJSON line accepted, in bytes (16 MiB). */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

const NEWLINE = 0x0a;
const OPEN_BRACE = 0x7b;
const SNIPPET_CHARS = 80;

function asBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

function snippet(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > SNIPPET_CHARS ? `${trimmed.slice(0, SNIPPET_CHARS)}...` : trimmed;
}

/**
 * Push-style NDJSON decoder. Bytes go in as they arrive; parsed values come out. It scans bytes
 * for `\n` (0x0A, which never occurs inside a multi-byte UTF-8 character) and only decodes complete
 * lines, so a line or a character split anywhere across chunks comes out whole. `\r\n` and blank
 * lines are accepted; a malformed line or one longer than `maxLineBytes` throws an OllamaError
 * (`OLLAMA_PROTOCOL_ERROR`) naming the line number.
 */
export class NdjsonDecoder {
  readonly maxLineBytes: number;
  /** Bytes of the line not yet terminated (copied: the producer may reuse its buffers). */
  #partial: Buffer[] = [];
  #partialBytes = 0;
  /** Number of lines completed so far (the next line is `#line + 1`). */
  #line = 0;
  readonly #shortcut = new ChunkShortcut();

  constructor(maxLineBytes: number = DEFAULT_MAX_LINE_BYTES) {
    this.maxLineBytes = maxLineBytes;
  }

  /** Lines completed so far. */
  get lines(): number {
    return this.#line;
  }

  /** Decode `chunk`, appending every value it completes to `out`. */
  push(chunk: Uint8Array, out: unknown[]): void {
    const bytes = asBuffer(chunk);
    const length = bytes.length;
    let start = 0;
    if (this.#partialBytes > 0) {
      const newline = bytes.indexOf(NEWLINE);
      if (newline === -1) {
        this.#keep(bytes, 0, length);
        return;
      }
      this.#checkLength(this.#partialBytes + newline);
      this.#partial.push(bytes.subarray(0, newline));
      const line = Buffer.concat(this.#partial, this.#partialBytes + newline);
      this.#partial = [];
      this.#partialBytes = 0;
      this.#parseLine(line.toString('utf8'), out);
      start = newline + 1;
    }
    const last = bytes.lastIndexOf(NEWLINE);
    if (last >= start) {
      if (last - start > this.maxLineBytes) this.#splitLongRegion(bytes, start, last, out);
      else this.#splitText(bytes.toString(undefined, start, last), out);
      start = last + 1;
    }
    if (start < length) this.#keep(bytes, start, length);
  }

  /** The source ended: parse a last line that had no newline. */
  end(out: unknown[]): void {
    if (this.#partialBytes === 0) return;
    const line = Buffer.concat(this.#partial, this.#partialBytes);
    this.#partial = [];
    this.#partialBytes = 0;
    this.#parseLine(line.toString('utf8'), out);
  }

  #keep(bytes: Buffer, from: number, to: number): void {
    this.#checkLength(this.#partialBytes + (to - from));
    this.#partial.push(Buffer.from(bytes.subarray(from, to)));
    this.#partialBytes += to - from;
  }

  #checkLength(bytes: number): void {
    if (bytes > this.maxLineBytes) {
      throw new OllamaError(
        'OLLAMA_PROTOCOL_ERROR',
        `NDJSON line ${this.#line + 1} is longer than maxLineBytes (${this.maxLineBytes} bytes)`,
        { line: this.#line + 1 },
      );
    }
  }

  /** Complete lines, decoded at once: split the text on `\n`. */
  #splitText(text: string, out: unknown[]): void {
    let from = 0;
    for (;;) {
      const newline = text.indexOf('\n', from);
      if (newline === -1) {
        this.#parseLine(from === 0 ? text : text.slice(from), out);
        return;
      }
      this.#parseLine(text.slice(from, newline), out);
      from = newline + 1;
    }
  }

  /** A region longer than the limit: measure each line in bytes before decoding it. */
  #splitLongRegion(bytes: Buffer, start: number, last: number, out: unknown[]): void {
    let from = start;
    while (from <= last) {
      const newline = bytes.indexOf(NEWLINE, from);
      this.#checkLength(newline - from);
      this.#parseLine(bytes.toString(undefined, from, newline), out);
      from = newline + 1;
    }
  }

  #parseLine(text: string, out: unknown[]): void {
    const line = ++this.#line;
    // Fast path: Ollama's lines are objects. JSON.parse ignores a trailing `\r`.
    if (text.charCodeAt(0) !== OPEN_BRACE && text.trim() === '') return;
    const quick = this.#shortcut.parse(text);
    if (quick !== undefined) {
      out.push(quick);
      return;
    }
    try {
      const value: unknown = JSON.parse(text);
      this.#shortcut.learn(value, text);
      out.push(value);
    } catch (error) {
      throw new OllamaError(
        'OLLAMA_PROTOCOL_ERROR',
        `Malformed NDJSON on line ${line}: ${(error as Error).message}; the line starts with ${JSON.stringify(snippet(text))}`,
        { cause: error, line },
      );
    }
  }
}
