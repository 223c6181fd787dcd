import type { CacheEntry } from '@lunar/llm-cache';

/** What one look at Redis found for a waited-on key. */
export interface Probe {
  entry: CacheEntry | undefined;
  /** PTTL of the key's lock: -2 when nobody holds it, -1 when it has no expiry. */
  lockTtlMs: number;
}

export interface WaitContext {
  /**
   * One round trip: the entry and the lock's remaining time (a local entry created at or after
   * `since` answers without one). Rejects when Redis is unavailable.
   */
  probe(key: string, since: number): Promise<Probe>;
  /** True while the store hears the events channel, so a landing answer wakes the waiter. */
  subscribed(): boolean;
  readonly pollIntervalMs: number;
}

/** Slack after a lock's expiry before looking again, so the lock is surely gone, in ms. */
const EXPIRY_SLACK_MS = 5;

/**
 * One caller waiting for another process's answer to `key`. It looks at Redis when it starts (which
 * closes the race with an answer that landed before it was registered), whenever the events
 * channel says the key was written or released, when the holder's lock would expire, and every
 * `pollIntervalMs` while the channel is not heard. It resolves to the entry (with `since`, only one
 * created at or after it: an older one counts as not there yet); to `undefined` when
 * no process holds the lock any more (released without an answer, or its holder died), when Redis
 * fails, or at the deadline; it rejects with the signal's reason on abort.
 */
export class KeyWait {
  readonly key: string;
  readonly promise: Promise<CacheEntry | undefined>;
  readonly #context: WaitContext;
  readonly #signal: AbortSignal | undefined;
  readonly #since: number;
  readonly #onDone: () => void;
  readonly #deadline: NodeJS.Timeout;
  #resolve: (entry: CacheEntry | undefined) => void = () => {};
  #reject: (reason: unknown) => void = () => {};
  #next: NodeJS.Timeout | undefined;
  #checking = false;
  #again = false;
  #done = false;

  constructor(
    context: WaitContext,
    key: string,
    options: { timeoutMs: number; signal: AbortSignal | undefined; since: number | undefined },
    onDone: () => void,
  ) {
    this.#context = context;
    this.key = key;
    this.#signal = options.signal;
    this.#since = options.since ?? Number.NEGATIVE_INFINITY;
    this.#onDone = onDone;
    this.promise = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.#deadline = setTimeout(() => this.finish(undefined), options.timeoutMs);
    this.#signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  /** Looks at Redis now (or right after the look in progress). */
  check(): void {
    if (this.#done) return;
    if (this.#checking) {
      this.#again = true;
      return;
    }
    this.#checking = true;
    clearTimeout(this.#next);
    this.#context.probe(this.key, this.#since).then(
      (probe) => {
        this.#checking = false;
        if (this.#done) return;
        const entry =
          probe.entry !== undefined && probe.entry.createdAt >= this.#since ? probe.entry : undefined;
        if (entry !== undefined || probe.lockTtlMs === -2) {
          this.finish(entry);
        } else if (this.#again) {
          this.#again = false;
          this.check();
        } else {
          this.#schedule(probe.lockTtlMs);
        }
      },
      () => {
        this.#checking = false;
        this.finish(undefined);
      },
    );
  }

  finish(entry: CacheEntry | undefined): void {
    this.#settle();
    this.#resolve(entry);
  }

  #schedule(lockTtlMs: number): void {
    const { pollIntervalMs } = this.#context;
    const delay = this.#context.subscribed() && lockTtlMs > 0 ? lockTtlMs + EXPIRY_SLACK_MS : pollIntervalMs;
    this.#next = setTimeout(() => this.check(), delay);
  }

  #settle(): void {
    if (this.#done) return;
    this.#done = true;
    clearTimeout(this.#deadline);
    clearTimeout(this.#next);
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#onDone();
  }

  readonly #onAbort = (): void => {
    if (this.#done) return;
    this.#settle();
    this.#reject(this.#signal?.reason);
  };
}
