import { MemoryCacheError } from './errors.js';

/**
 * One search running on behalf of every caller waiting for the same key. Callers come and go through `wait`;
 * when the last one aborts, the search's own signal aborts. Once `retired` (invalidated or abandoned), its
 * result still reaches the callers already waiting but is never stored.
 */
export class InFlightSearch<T> {
  readonly key: string;
  readonly scope: string;
  readonly promise: Promise<T>;
  retired = false;
  #waiters = 0;
  #settled = false;
  readonly #controller = new AbortController();
  readonly #onAbandoned: (flight: InFlightSearch<T>) => void;

  constructor(
    key: string,
    scope: string,
    run: (signal: AbortSignal) => Promise<T> | T,
    onAbandoned: (flight: InFlightSearch<T>) => void,
  ) {
    this.key = key;
    this.scope = scope;
    this.#onAbandoned = onAbandoned;
    // Runs synchronously; a synchronous throw becomes a rejection.
    this.promise = new Promise<T>((resolve) => resolve(run(this.#controller.signal)));
    const settle = () => {
      this.#settled = true;
    };
    // Also keeps a search nobody waits for any more from raising an unhandled rejection.
    this.promise.then(settle, settle);
  }

  get waiters(): number {
    return this.#waiters;
  }

  /** Aborts the shared search if it is still running (used for abandoned and retired background work). */
  abort(reason: unknown): void {
    if (!this.#settled) this.#controller.abort(reason);
  }

  /** The shared result, or a MEMORY_CACHE_ABORTED error as soon as this caller's own signal aborts. */
  wait(signal: AbortSignal | undefined): Promise<T> {
    this.#waiters++;
    if (signal === undefined) return this.promise;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        this.#waiters--;
        reject(aborted('The memory search was aborted by its caller', signal.reason));
        if (this.#waiters === 0 && !this.#settled) {
          this.#onAbandoned(this);
          this.abort(aborted('Every caller of this memory search aborted', signal.reason));
        }
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.promise.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }
}

/** The error of an abort: `MEMORY_CACHE_ABORTED`, named `AbortError`, the signal's reason as `cause`. */
export function aborted(message: string, reason?: unknown): MemoryCacheError {
  return new MemoryCacheError('MEMORY_CACHE_ABORTED', message, { cause: reason });
}
