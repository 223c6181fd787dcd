import { type OllamaDeadline, OllamaError } from './errors.js';
import type { Timeouts } from './options.js';

const WHAT: Record<OllamaDeadline, string> = {
  firstTokenMs: 'for the first token',
  idleMs: 'for the next chunk',
  totalMs: 'for the whole call',
};

/**
 * Lunar's deadlines for one call. Two timers at most: `totalMs`, and one that is first `firstTokenMs`
 * then `idleMs`. The idle clock costs nothing per chunk: a chunk only records its time, and the
 * timer, when it fires, re-arms itself for the time that is left. `clear()` stops everything.
 */
export class Deadlines {
  readonly #timeouts: Timeouts;
  readonly #onExpire: (error: OllamaError) => void;
  /** Named in the timeout message; set once the host that took the call is known. */
  host: string;
  #total: NodeJS.Timeout | undefined;
  #token: NodeJS.Timeout | undefined;
  #lastChunkAt = 0;
  #seenChunk = false;
  #paused = false;

  constructor(timeouts: Timeouts, streamed: boolean, host: string, onExpire: (error: OllamaError) => void) {
    this.#timeouts = timeouts;
    this.#onExpire = onExpire;
    this.host = host;
    if (timeouts.totalMs !== undefined) {
      this.#total = setTimeout(() => this.#expire('totalMs'), timeouts.totalMs).unref();
    }
    if (streamed && timeouts.firstTokenMs !== undefined) {
      this.#token = setTimeout(() => this.#expire('firstTokenMs'), timeouts.firstTokenMs).unref();
    }
  }

  /** A chunk arrived at `now` (performance.now()). */
  chunk(now: number): void {
    this.#lastChunkAt = now;
    if (this.#seenChunk) return;
    this.#seenChunk = true;
    if (this.#token) clearTimeout(this.#token);
    this.#token = undefined;
    if (this.#timeouts.idleMs !== undefined) this.#armIdle(this.#timeouts.idleMs);
  }

  /** The consumer is behind and reading is paused: silence is not the server's, so idle does not count. */
  pause(): void {
    this.#paused = true;
  }

  resume(now: number): void {
    this.#paused = false;
    this.#lastChunkAt = now;
  }

  clear(): void {
    if (this.#total) clearTimeout(this.#total);
    if (this.#token) clearTimeout(this.#token);
    this.#total = undefined;
    this.#token = undefined;
  }

  /** True while a timer is armed (for tests of cleanup). */
  get armed(): boolean {
    return this.#total !== undefined || this.#token !== undefined;
  }

  #armIdle(ms: number): void {
    this.#token = setTimeout(() => {
      const idleMs = this.#timeouts.idleMs ?? 0;
      const silent = performance.now() - this.#lastChunkAt;
      if (this.#paused) this.#armIdle(idleMs);
      else if (silent >= idleMs) this.#expire('idleMs');
      else this.#armIdle(Math.max(1, Math.ceil(idleMs - silent)));
    }, ms).unref();
  }

  #expire(deadline: OllamaDeadline): void {
    this.clear();
    const ms = this.#timeouts[deadline];
    this.#onExpire(
      new OllamaError(
        'OLLAMA_TIMEOUT',
        `Ollama at ${this.host} did not answer ${WHAT[deadline]} within ${deadline} (${ms} ms)`,
        { deadline, host: this.host },
      ),
    );
  }
}
