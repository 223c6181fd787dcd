import type { CacheEntry } from './cache-entry.js';

/** Counters a store may report; the memory store does. */
export interface CacheStoreStats {
  entries: number;
  bytes: number;
  /** Entries dropped to make room (count or byte bound), not counting expiry. */
  evictions: number;
}

/** A cross-process claim on computing one key (see {@link CacheStore.acquire}). */
export interface CacheLease {
  release(): void | Promise<void>;
}

/**
 * Where answers live. Methods may answer synchronously (the memory store does, which keeps a hit
 * free of extra ticks) or with a promise (a networked store). Errors thrown or rejected here never
 * fail a call: the cache treats them as a miss or a skipped write and reports them through
 * `onStoreError`.
 */
export interface CacheStore {
  get(key: string): CacheEntry | undefined | Promise<CacheEntry | undefined>;
  /** Stores an entry for `ttlMs` (Infinity: no expiry). The entry is frozen; keep it or copy it. */
  set(key: string, entry: CacheEntry, ttlMs: number): void | Promise<void>;
  delete(key: string): void | Promise<void>;
  /** Drops every entry. */
  clear?(): void | Promise<void>;
  stats?(): CacheStoreStats;
  /**
   * Optional cross-process single-flight. Claims `key` for `leaseMs`; resolves to a lease when this
   * process should compute, `undefined` when another process holds the claim.
   */
  acquire?(key: string, leaseMs: number): Promise<CacheLease | undefined>;
  /**
   * With `acquire`: waits for the holder's answer to land. Resolves to it, or to `undefined` at the
   * deadline (the caller then computes on its own, so a dead process never blocks the others).
   */
  waitFor?(
    key: string,
    options: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<CacheEntry | undefined>;
}
