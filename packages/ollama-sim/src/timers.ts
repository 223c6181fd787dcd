/**
 * Every timer the simulator starts goes through here, so `close()` can clear them all. Timers
 * are unref'd: the listening server keeps the process alive, a pending timer never does.
 */
export class Timers {
  readonly #timers = new Set<NodeJS.Timeout>();
  #closed = false;

  /** Runs `callback` after `ms`; returns the timer for `clear` (nothing once closed). */
  after(ms: number, callback: () => void): NodeJS.Timeout | undefined {
    if (this.#closed) return undefined;
    const timer = setTimeout(
      () => {
        this.#timers.delete(timer);
        callback();
      },
      Math.max(0, ms),
    );
    timer.unref();
    this.#timers.add(timer);
    return timer;
  }

  clear(timer: NodeJS.Timeout | undefined): void {
    if (timer === undefined) return;
    clearTimeout(timer);
    this.#timers.delete(timer);
  }

  /** Resolves after `ms` (at once when `ms <= 0`); rejects with the reason when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#closed) return Promise.reject(new Error('the timers are closed'));
    if (!(ms > 0)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.clear(timer);
        reject(signal?.reason);
      };
      const timer = this.after(ms, () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Timers pending now. */
  get size(): number {
    return this.#timers.size;
  }

  /** Clears every pending timer; after this no timer starts. */
  close(): void {
    this.#closed = true;
    this.clearAll();
  }

  clearAll(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}

/** Lets other work (I/O, other streams) run before continuing. */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
