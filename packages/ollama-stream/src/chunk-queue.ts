/**
 * FIFO of parsed chunks waiting for the consumer. It says when it holds `highWater` items (the
 * stream then pauses reading from the socket, so TCP flow control stops the server) and when it is
 * back down to `lowWater` (reading resumes). One network chunk can add several items at once, so
 * the length can pass `highWater` by at most one read's worth of lines.
 */
export class ChunkQueue<T> {
  readonly highWater: number;
  readonly lowWater: number;
  readonly #onFull: () => void;
  readonly #onDrained: () => void;
  #items: Array<T | undefined> = [];
  #head = 0;
  #full = false;

  constructor(highWater: number, lowWater: number, onFull: () => void, onDrained: () => void) {
    this.highWater = highWater;
    this.lowWater = lowWater;
    this.#onFull = onFull;
    this.#onDrained = onDrained;
  }

  get length(): number {
    return this.#items.length - this.#head;
  }

  get full(): boolean {
    return this.#full;
  }

  push(item: T): void {
    this.#items.push(item);
    if (!this.#full && this.length >= this.highWater) {
      this.#full = true;
      this.#onFull();
    }
  }

  /** The oldest item; call only when `length > 0`. */
  shift(): T {
    const item = this.#items[this.#head] as T;
    this.#items[this.#head++] = undefined;
    if (this.#head === this.#items.length) {
      this.#items.length = 0;
      this.#head = 0;
    }
    if (this.#full && this.length <= this.lowWater) {
      this.#full = false;
      this.#onDrained();
    }
    return item;
  }

  clear(): void {
    this.#items.length = 0;
    this.#head = 0;
    if (this.#full) {
      this.#full = false;
      this.#onDrained();
    }
  }
}
