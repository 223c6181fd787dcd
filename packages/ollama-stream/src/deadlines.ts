import type { OllamaDeadline } from './errors.js';
import type { ResolvedTimeouts } from './options.js';

/**
 * Lunar's deadlines for one call. Two timers at most: `totalMs`, and one that is first `headersMs`
 * (until the first sign of an answer: `chunk()`) then `idleMs`. The idle clock costs nothing per
 * chunk: a chunk only records its time, and the timer, when it fires, re-arms itself for the time
 * that is left. A deadline of 0 is off. `clear()` stops everything.
 */
export class Deadlines {
  readonly #timeouts: ResolvedTimeouts;
  readonly #onExpire: (deadline: OllamaDeadline) => void;
  /** Named in the timeout message; set once the host that took the call is known. */
  host: string;
  #total: NodeJS.Timeout | undefined;
  #token: NodeJS.Timeout | undefined;
  #lastChunkAt = 0;
  #answering = false;
  #paused = false;

  constructor(timeouts: ResolvedTimeouts, host: string, onExpire: (deadline: OllamaDeadline) => void) {
    this.#timeouts = timeouts;
    this.#onExpire = onExpire;
    this.host = host;
    if (timeouts.totalMs > 0) {
      this.#total = setTimeout(() => this.#expire('totalMs'), timeouts.totalMs).unref();
    }
    if (timeouts.headersMs > 0) {
      this.#token = setTimeout(() => this.#expire('headersMs'), timeouts.headersMs).unref();
    }
  }

  /** The value of a deadline, in ms (0: off). */
  value(deadline: OllamaDeadline): number {
    return this.#timeouts[deadline];
  }

  /**
   * Ollama answered at `now` (performance.now()): the headers, or a chunk of the body. The first
   * call ends `headersMs` and starts `idleMs`.
   */
  chunk(now: number): void {
    this.#lastChunkAt = now;
    if (this.#answering) return;
    this.#answering = true;
    if (this.#token) clearTimeout(this.#token);
    this.#token = undefined;
    if (this.#timeouts.idleMs > 0) this.#armIdle(this.#timeouts.idleMs);
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
      const idleMs = this.#timeouts.idleMs;
      const silent = performance.now() - this.#lastChunkAt;
      if (this.#paused) this.#armIdle(idleMs);
      else if (silent >= idleMs) this.#expire('idleMs');
      else this.#armIdle(Math.max(1, Math.ceil(idleMs - silent)));
    }, ms).unref();
  }

  #expire(deadline: OllamaDeadline): void {
    this.clear();
    this.#onExpire(deadline);
  }
}
