/**
 * Writes a response the way Ollama's handlers do, with the request's fault (if any) applied:
 * NDJSON lines written one by one (headers go out with the first line), single JSON bodies,
 * and errors (a JSON body with a status before any byte, an `{"error"}` line after).
 *
 * Faults: `stall` without `afterChunks` waits before the headers; the others fire when
 * `afterChunks` lines have been written, before the next one. A non-streamed body counts as one
 * chunk, so only `afterChunks: 0` reaches it (an `error-line` then becomes a 500).
 */
import type { ServerResponse } from 'node:http';
import { goString } from './go-json.js';
import type { Timers } from './timers.js';
import type { Fault } from './types.js';

export const NDJSON = 'application/x-ndjson';
export const JSON_UTF8 = 'application/json; charset=utf-8';
const DEFAULT_ERROR_LINE = 'an error was encountered while running the model: simulated fault';

/** What the answer handlers write through: NDJSON lines, a whole JSON body, the end of a stream. */
export interface AnswerWriter {
  /** Writes one NDJSON line (`json` without the newline). False: the response ended (a fault). */
  line(json: string): Promise<boolean>;
  /** Sends one JSON body with `status` (a non-streamed answer). */
  json(status: number, body: string): Promise<void>;
  /** Ends an NDJSON stream. */
  end(): void;
}

export class ResponseWriter implements AnswerWriter {
  /** NDJSON lines written so far. */
  chunks = 0;
  /** True once a `drop` fault destroyed the connection. */
  droppedByFault = false;
  #fault: Fault | undefined;

  constructor(
    readonly res: ServerResponse,
    fault: Fault | undefined,
    private readonly timers: Timers,
    private readonly signal: AbortSignal,
  ) {
    this.#fault = fault;
  }

  get headersSent(): boolean {
    return this.res.headersSent;
  }

  async #stallBeforeHeaders(): Promise<void> {
    const fault = this.#fault;
    if (fault?.type === 'stall' && fault.afterChunks === undefined) {
      this.#fault = undefined;
      await this.timers.sleep(fault.ms, this.signal);
    }
  }

  /** Applies a fault due at this chunk. Returns false when the response has ended. */
  async #chunkFault(stream: boolean): Promise<boolean> {
    const fault = this.#fault;
    if (fault === undefined || fault.type === 'status' || fault.afterChunks !== this.chunks) return true;
    this.#fault = undefined;
    if (fault.type === 'stall') {
      await this.timers.sleep(fault.ms, this.signal);
      return true;
    }
    if (fault.type === 'drop') {
      this.droppedByFault = true;
      await this.#dropConnection();
      return false;
    }
    const message = fault.message ?? DEFAULT_ERROR_LINE;
    if (stream) {
      this.#write(`{"error":${goString(message)}}\n`);
      this.res.end();
    } else {
      this.#send(500, JSON_UTF8, `{"error":${goString(message)}}`);
    }
    return false;
  }

  /** Destroys the socket once the lines already written have left (Node corks the first writes). */
  async #dropConnection(): Promise<void> {
    const socket = this.res.socket;
    if (socket === null || socket.destroyed) return;
    while (socket.writableCorked > 0) socket.uncork();
    await new Promise<void>((resolve) => socket.write('', () => resolve()));
    socket.destroy();
  }

  #write(text: string): boolean {
    if (!this.res.headersSent) {
      this.res.statusCode = 200;
      this.res.setHeader('Content-Type', NDJSON);
    }
    return this.res.write(text);
  }

  #send(status: number, contentType: string, body: string): void {
    this.res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
    this.res.end(body);
  }

  #drain(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      this.res.on('drain', done);
      this.res.on('close', done);
    });
  }

  /** Writes one NDJSON line (`json` without the newline). False: the response ended (a fault). */
  async line(json: string): Promise<boolean> {
    if (this.signal.aborted) throw this.signal.reason;
    if (this.chunks === 0) await this.#stallBeforeHeaders();
    if (!(await this.#chunkFault(true))) return false;
    const flushed = this.#write(`${json}\n`);
    this.chunks++;
    if (!flushed) await this.#drain();
    return true;
  }

  /** Ends an NDJSON stream. */
  end(): void {
    if (!this.res.headersSent) this.#write('');
    this.res.end();
  }

  /** Sends one JSON body with `status` (a non-streamed answer). */
  async json(status: number, body: string): Promise<void> {
    if (this.signal.aborted) throw this.signal.reason;
    await this.#stallBeforeHeaders();
    if (!(await this.#chunkFault(false))) return;
    this.#send(status, JSON_UTF8, body);
  }

  /** Sends plain text (`GET /`, unknown routes). */
  async text(status: number, body: string, contentType = 'text/plain; charset=utf-8'): Promise<void> {
    await this.#stallBeforeHeaders();
    if (!(await this.#chunkFault(false))) return;
    this.#send(status, contentType, body);
  }

  /** An error: a JSON body with `status` before any byte, else an `{"error"}` line and the end. */
  error(status: number, message: string): void {
    if (this.res.writableEnded || this.res.destroyed) return;
    const body = `{"error":${goString(message)}}`;
    if (this.res.headersSent) {
      this.res.write(`${body}\n`);
      this.res.end();
      return;
    }
    this.#send(status, JSON_UTF8, body);
  }
}
