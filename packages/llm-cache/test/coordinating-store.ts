import type {
  AcquireOptions,
  CacheEntry,
  CacheLease,
  CacheStore,
  LLMChunk,
  WaitForOptions,
} from '../src/index.js';

/**
 * A store that coordinates processes the way `RedisCacheStore` does: `acquire()` answers "already
 * stored" (no lease) when an entry is there, unless the claim is `fresh` and the store honours
 * that; `waitFor()` hands over the stored entry, honouring `since` when the store does. Reads
 * always miss, as when the answer landed in the shared tier after the read. With `manual`, every
 * `acquire()` waits until the test calls `answer()`. Counts leases handed out and released.
 */
export class CoordinatingStore implements CacheStore {
  readonly entries = new Map<string, CacheEntry>();
  readonly acquired: (AcquireOptions | undefined)[] = [];
  readonly waited: WaitForOptions[] = [];
  /** Keys whose claim another process holds: acquire() gives no lease. */
  readonly heldElsewhere = new Set<string>();
  manual = false;
  held = 0;
  released = 0;
  readonly #honours: boolean;
  #pending: Array<() => void> = [];

  /** `honours`: false for a store written before `fresh` and `since` existed. */
  constructor(honours: boolean) {
    this.#honours = honours;
  }

  get(): undefined {
    return undefined;
  }

  set(key: string, entry: CacheEntry): void {
    this.entries.set(key, entry);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  async acquire(key: string, _leaseMs: number, options?: AcquireOptions): Promise<CacheLease | undefined> {
    this.acquired.push(options);
    if (this.manual) await new Promise<void>((resolve) => this.#pending.push(resolve));
    if (this.heldElsewhere.has(key)) return undefined;
    if (this.entries.has(key) && !(this.#honours && options?.fresh === true)) return undefined;
    this.held++;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.held--;
        this.released++;
      },
    };
  }

  async waitFor(key: string, options: WaitForOptions): Promise<CacheEntry | undefined> {
    this.waited.push(options);
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (this.#honours && options.since !== undefined && entry.createdAt < options.since) return undefined;
    return entry;
  }

  /** Lets every pending acquire() answer. */
  answer(): void {
    for (const resolve of this.#pending.splice(0)) resolve();
  }
}

/** An entry stored a minute ago with `chunks`. */
export function oldEntry(chunks: readonly LLMChunk[], streamed = true): CacheEntry {
  return {
    version: 1,
    route: 'chat',
    chunks,
    streamed,
    timings: chunks.map((_chunk, index) => index),
    durationMs: 10,
    createdAt: Date.now() - 60_000,
    size: 100 * chunks.length,
  };
}
