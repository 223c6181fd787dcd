import type { Logger } from './logger.js';
import { assertKnownKeys, assertObject, assertSignal, positiveInteger, shown } from './validate.js';

/** `'ready'`: commands go to Redis. `'down'`: Redis is unreachable or slow; work stays local. */
export type RedisState = 'ready' | 'down';

export type StateListener = (state: RedisState) => void;

export interface WhenReadyOptions {
  /** Longest wait, in ms. Default 5,000. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * A component's Redis state, its listeners, and the log lines: one 'redis unavailable' when it
 * goes down (or cannot connect at first), one 'redis back' when it returns, nothing in between.
 * A first successful connection is not logged. Starts `'down'` until the first connection.
 */
export class StateBoard {
  readonly #logger: Logger | undefined;
  readonly #label: string;
  readonly #listeners = new Set<StateListener>();
  /** Pending `whenReady` calls, each settled with `false` on close. */
  readonly #waiters = new Set<(ready: boolean) => void>();
  #state: RedisState = 'down';
  #announcedDown = false;
  #closed = false;

  constructor(logger: Logger | undefined, label: string) {
    this.#logger = logger;
    this.#label = label;
  }

  get state(): RedisState {
    return this.#state;
  }

  onChange(listener: StateListener): () => void {
    if (typeof listener !== 'function') {
      throw new TypeError(`Expected \`listener\` to be a function, got ${shown(listener)}`);
    }
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Sets the state; logs and tells listeners only on a change (or a first failure to connect). */
  set(next: RedisState, reason: string): void {
    if (this.#closed) return;
    const changed = next !== this.#state;
    this.#state = next;
    if (next === 'ready') {
      if (this.#announcedDown) this.#logger?.info(`${this.#label}: redis back; sharing resumed`);
      this.#announcedDown = false;
    } else if (!this.#announcedDown) {
      this.#announcedDown = true;
      this.#logger?.warn(`${this.#label}: redis unavailable (${reason}); serving locally until it is back`);
    }
    if (!changed) return;
    for (const listener of this.#listeners) {
      try {
        listener(next);
      } catch {
        // A failing listener must not stop the others or the state change.
      }
    }
  }

  /** Settles `'down'` silently, ends every pending `whenReady` with false, forgets the listeners. */
  close(): void {
    this.#closed = true;
    this.#state = 'down';
    for (const finish of [...this.#waiters]) finish(false);
    this.#listeners.clear();
  }

  /**
   * Resolves true once `'ready'`, false after `timeoutMs` (default 5,000) or once closed; rejects
   * with the signal's reason on abort.
   */
  whenReady(options: WhenReadyOptions = {}): Promise<boolean> {
    assertObject('options', options);
    assertKnownKeys('', options, ['timeoutMs', 'signal']);
    const timeoutMs = positiveInteger('timeoutMs', options.timeoutMs, 5000);
    const { signal } = options;
    assertSignal('signal', signal);
    signal?.throwIfAborted();
    if (this.#state === 'ready') return Promise.resolve(true);
    if (this.#closed) return Promise.resolve(false);
    return new Promise((resolve, reject) => {
      const finish = (ready: boolean | undefined) => {
        clearTimeout(timer);
        unsubscribe();
        this.#waiters.delete(finish);
        signal?.removeEventListener('abort', onAbort);
        if (ready === undefined) reject(signal?.reason);
        else resolve(ready);
      };
      const onAbort = () => finish(undefined);
      const unsubscribe = this.onChange((state) => {
        if (state === 'ready') finish(true);
      });
      const timer = setTimeout(() => finish(false), timeoutMs);
      this.#waiters.add(finish);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
