/**
 * The calls that may start, as an async iterable p-map pulls from: it waits while the queue is
 * empty and ends once closed and empty. Its length is bounded by the runner's `maxCalls`.
 */
export class ReadyQueue<T> implements AsyncIterable<T> {
  #items: T[] = [];
  #head = 0;
  #closed = false;
  readonly #waiting: Array<(result: IteratorResult<T, undefined>) => void> = [];

  get size(): number {
    return this.#items.length - this.#head;
  }

  push(item: T): void {
    if (this.#closed) throw new Error('ReadyQueue: push after close');
    const waiter = this.#waiting.shift();
    if (waiter) waiter({ done: false, value: item });
    else this.#items.push(item);
  }

  /** Take every item not yet pulled. */
  drain(): T[] {
    const items = this.#items.slice(this.#head);
    this.#items = [];
    this.#head = 0;
    return items;
  }

  /** No more pushes; pullers get `done` once the queue is empty. */
  close(): void {
    this.#closed = true;
    // Pullers wait only while the queue is empty, so all of them are owed `done`.
    for (const waiter of this.#waiting.splice(0)) waiter({ done: true, value: undefined });
  }

  #next(): Promise<IteratorResult<T, undefined>> {
    if (this.#head < this.#items.length) {
      const value = this.#items[this.#head] as T;
      this.#items[this.#head++] = undefined as T;
      if (this.#head === this.#items.length) {
        this.#items = [];
        this.#head = 0;
      }
      return Promise.resolve({ done: false, value });
    }
    if (this.#closed) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  [Symbol.asyncIterator](): AsyncIterator<T, undefined> {
    return { next: () => this.#next() };
  }
}
