import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { OllamaProxyError } from './errors.js';

/**
 * A streamed HTTP response written by hand, with backpressure: `write()` resolves once the socket
 * has taken the bytes (it waits for 'drain' when the kernel buffer is full), so a slow reader slows
 * the writer and nothing piles up in memory. `signal` aborts when the client goes away first.
 */
export class ResponseStream {
  readonly #response: ServerResponse;
  readonly #controller = new AbortController();
  #corked = false;
  #written = false;

  constructor(response: ServerResponse) {
    this.#response = response;
    response.once('close', () => {
      if (!response.writableFinished)
        this.#controller.abort(
          new OllamaProxyError(
            'OLLAMA_PROXY_CLIENT_GONE',
            'the client disconnected before the end of the answer',
          ),
        );
    });
  }

  /** Aborted when the client disconnects before the response ended. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** True once the client has gone. */
  get gone(): boolean {
    return this.#controller.signal.aborted;
  }

  get started(): boolean {
    return this.#response.headersSent;
  }

  /** Sends the status and headers (with the first write, as Node does). */
  start(status: number, headers: OutgoingHttpHeaders): void {
    if (this.gone || this.#response.headersSent) return;
    this.#response.writeHead(status, headers);
  }

  /** Writes one piece; resolves true once the socket took it, false when the client has gone. */
  async write(piece: string | Uint8Array): Promise<boolean> {
    if (this.gone) return false;
    if (!this.#written) {
      // The first piece goes out at once, with the headers: the client waits for it.
      this.#written = true;
    } else if (!this.#corked) {
      // Later writes of one event-loop turn leave in one syscall, by the next turn.
      this.#corked = true;
      this.#response.cork();
      setImmediate(this.#uncork);
    }
    if (this.#response.write(piece)) return true;
    this.#uncork();
    await new Promise<void>((resolve) => {
      const done = () => {
        this.#response.off('drain', done);
        this.#response.off('close', done);
        resolve();
      };
      this.#response.on('drain', done);
      this.#response.on('close', done);
    });
    return !this.gone;
  }

  readonly #uncork = (): void => {
    if (!this.#corked) return;
    this.#corked = false;
    this.#response.uncork();
  };

  /** Ends the response (a no-op when the client has gone). */
  end(text?: string | Buffer): void {
    if (this.gone || this.#response.writableEnded) return;
    if (text === undefined) this.#response.end();
    else this.#response.end(text);
  }

  /**
   * Cuts the response short (the connection is closed without the end of the body), so the client
   * sees that the answer is incomplete: for a body whose length or format allows no error line.
   */
  destroy(): void {
    if (this.gone || this.#response.writableEnded) return;
    this.#response.destroy();
  }

  /** Sends a whole JSON body with its status when nothing was written yet, else ends the stream. */
  json(status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
    if (this.gone) return;
    if (this.#response.headersSent) {
      this.end();
      return;
    }
    const text = JSON.stringify(body);
    this.#response.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      ...headers,
    });
    this.#response.end(text);
  }
}
