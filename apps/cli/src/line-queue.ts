import type { Interface } from 'node:readline';

/** Lines from readline, taken one at a time; input pauses while too many wait (piped input). */
export class LineQueue {
  static readonly HIGH_WATER = 64;
  static readonly LOW_WATER = 16;
  readonly #readline: Interface;
  readonly #lines: string[] = [];
  #closed = false;
  #paused = false;
  #waiter: ((line: string | undefined) => void) | undefined;

  constructor(readline: Interface) {
    this.#readline = readline;
    readline.on('line', (line) => {
      if (this.#waiter) {
        const waiter = this.#waiter;
        this.#waiter = undefined;
        waiter(line);
        return;
      }
      this.#lines.push(line);
      if (!this.#paused && this.#lines.length >= LineQueue.HIGH_WATER) {
        this.#paused = true;
        readline.pause();
      }
    });
    readline.on('close', () => {
      this.#closed = true;
      this.#waiter?.(undefined);
      this.#waiter = undefined;
    });
  }

  /** Lines waiting now. */
  get size(): number {
    return this.#lines.length;
  }

  /** The next line, or undefined once the input has ended and every line was taken. */
  next(): Promise<string | undefined> {
    const line = this.#lines.shift();
    if (this.#paused && this.#lines.length <= LineQueue.LOW_WATER) {
      this.#paused = false;
      this.#readline.resume();
    }
    if (line !== undefined) return Promise.resolve(line);
    if (this.#closed) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.#waiter = resolve;
    });
  }
}
