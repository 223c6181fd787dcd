import { deepFreeze } from './deep-freeze.js';

/**
 * One upstream computation of a whole response, shared by identical calls. Each participant waits
 * with its own signal; when every participant has given up, the computation is aborted.
 */
export class ValueFlight<V> {
  readonly promise: Promise<V>;
  readonly startedAt = performance.now();
  readonly #controller = new AbortController();
  readonly #onAbandoned: () => void;
  #participants = 0;
  #settled = false;
  /** True when the answer should be stored (some participant's mode stores). */
  store = true;
  /** False while the flight may serve an answer stored before it began (see StreamFlight.fresh). */
  fresh = true;

  /** `shared`: the value goes to several callers (and maybe the store), so it is frozen. */
  constructor(
    compute: (signal: AbortSignal) => PromiseLike<V> | V,
    shared: boolean,
    onAbandoned: () => void,
  ) {
    this.#onAbandoned = onAbandoned;
    let promise: Promise<V>;
    try {
      promise = Promise.resolve(compute(this.#controller.signal));
    } catch (error) {
      promise = Promise.reject(error);
    }
    this.promise = promise.then(
      (value) => {
        this.#settled = true;
        return shared ? deepFreeze(value) : value;
      },
      (error: unknown) => {
        this.#settled = true;
        throw error;
      },
    );
    // Participants observe the outcome; a flight everyone left must not raise an unhandled rejection.
    this.promise.catch(() => {});
  }

  /** Waits for the value on behalf of one participant. */
  join(signal: AbortSignal | undefined): Promise<V> {
    this.#participants++;
    if (signal === undefined) return this.promise;
    return new Promise<V>((resolve, reject) => {
      const onAbort = () => {
        reject(signal.reason);
        if (--this.#participants === 0 && !this.#settled) {
          this.store = false;
          this.#controller.abort();
          this.#onAbandoned();
        }
      };
      if (signal.aborted) {
        onAbort(); // an abort event already fired never fires again
        return;
      }
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
