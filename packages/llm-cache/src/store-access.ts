import { type CacheEntry, isCacheEntry } from './cache-entry.js';
import type { CacheLease, CacheStore, WaitForOptions } from './cache-store.js';
import { deepFreeze } from './deep-freeze.js';
import { LLMCacheError } from './errors.js';
import { isThenable } from './is-thenable.js';

/** What a cross-process claim decided: compute under `lease`, or serve `entry` from elsewhere. */
export interface Claim {
  lease?: CacheLease;
  entry?: CacheEntry;
}

export interface StoreAccessOptions {
  ttlMs: number;
  leaseMs: number;
  joinTimeoutMs: number;
  onStoreError: ((error: LLMCacheError) => void) | undefined;
}

/**
 * The cache's side of a {@link CacheStore}: no store failure ever fails a call. A failed or
 * malformed read is a miss, a failed write is skipped, and each is reported once through
 * `onStoreError`. Synchronous stores are used synchronously, so a memory hit costs no extra tick.
 */
export class StoreAccess {
  readonly store: CacheStore;
  readonly #options: StoreAccessOptions;
  failures = 0;

  constructor(store: CacheStore, options: StoreAccessOptions) {
    this.store = store;
    this.#options = options;
  }

  /** True when the store can coordinate processes (`acquire` and `waitFor`). */
  get coordinates(): boolean {
    return this.store.acquire !== undefined;
  }

  read(key: string): CacheEntry | undefined | Promise<CacheEntry | undefined> {
    try {
      const found = this.store.get(key);
      if (isThenable(found)) {
        return Promise.resolve(found).then(
          (entry: unknown) => this.#checked(key, entry),
          (error: unknown) => this.#failed('get', error),
        );
      }
      return this.#checked(key, found);
    } catch (error) {
      return this.#failed('get', error);
    }
  }

  /** Stores a frozen entry; the promise (for an async store) settles when the write has. */
  write(key: string, entry: CacheEntry): Promise<void> | undefined {
    deepFreeze(entry);
    try {
      const written = this.store.set(key, entry, this.#options.ttlMs);
      if (isThenable(written)) {
        return Promise.resolve(written).then(
          () => {},
          (error: unknown) => {
            this.#failed('set', error);
          },
        );
      }
    } catch (error) {
      this.#failed('set', error);
    }
    return undefined;
  }

  /** Releases a cross-process lease once the answer (if any) has been written. */
  release(written: Promise<void> | undefined, lease: () => CacheLease | undefined): void {
    const release = () => {
      const held = lease();
      if (held === undefined) return;
      try {
        const released = held.release();
        if (isThenable(released)) {
          Promise.resolve(released).catch((error: unknown) => this.#failed('release', error));
        }
      } catch (error) {
        this.#failed('release', error);
      }
    };
    if (written === undefined) release();
    else written.then(release);
  }

  /**
   * Claims `key` across processes, or waits for the holder's answer until the deadline. With
   * `since` (a `no-cache` call's start, epoch ms) the claim is fresh: a stored answer does not
   * count, and only an answer created at or after `since` is served; checked here too, for a store
   * that ignores the options.
   */
  async claim(key: string, signal: AbortSignal, since?: number): Promise<Claim> {
    const fresh = since !== undefined;
    let lease: CacheLease | undefined;
    try {
      lease = await this.store.acquire?.(key, this.#options.leaseMs, { fresh });
    } catch (error) {
      this.#failed('acquire', error);
      return {};
    }
    if (lease !== undefined || signal.aborted) return { lease };
    const options: WaitForOptions = { timeoutMs: this.#options.joinTimeoutMs, signal };
    if (fresh) options.since = since;
    try {
      const found = await this.store.waitFor?.(key, options);
      const entry = this.#checked(key, found);
      if (entry === undefined || (fresh && entry.createdAt < since)) return {};
      return { entry };
    } catch (error) {
      if (!signal.aborted) this.#failed('waitFor', error);
      return {};
    }
  }

  #checked(key: string, entry: unknown): CacheEntry | undefined {
    if (entry === undefined || entry === null) return undefined;
    if (isCacheEntry(entry)) return entry;
    this.#report(
      new LLMCacheError(
        'LLM_CACHE_INVALID_ENTRY',
        `store returned a value that is not a cache entry for ${key}`,
      ),
    );
    return undefined;
  }

  #failed(operation: string, error: unknown): undefined {
    this.#report(
      new LLMCacheError('LLM_CACHE_STORE_FAILED', `store ${operation}() failed`, { cause: error }),
    );
    return undefined;
  }

  #report(error: LLMCacheError): void {
    this.failures++;
    try {
      this.#options.onStoreError?.(error);
    } catch {
      // A failing error handler must not fail the call that reported to it.
    }
  }
}
