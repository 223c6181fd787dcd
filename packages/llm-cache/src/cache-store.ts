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
   * process should compute, `undefined` when another process holds the claim (or, unless `fresh`,
   * when the answer is already stored). With `fresh` (a `no-cache` call) a stored answer does not
   * count: the claim is taken unless another process holds it. A store written before `fresh`
   * existed may ignore it; the cache then still refuses a stale answer from `waitFor`.
   */
  acquire?(key: string, leaseMs: number, options?: AcquireOptions): Promise<CacheLease | undefined>;
  /**
   * With `acquire`: waits for the holder's answer to land. Resolves to it, or to `undefined` at the
   * deadline (the caller then computes on its own, so a dead process never blocks the others).
   * With `since`, an entry whose `createdAt` is earlier does not count: the wait goes on while
   * the claim is held, and resolves `undefined` once it is not.
   */
  waitFor?(key: string, options: WaitForOptions): Promise<CacheEntry | undefined>;
}

/** Options of {@link CacheStore.acquire}. */
export interface AcquireOptions {
  /** Ignore a stored answer: claim the key unless another process holds the claim. Default false. */
  fresh?: boolean;
}

/** Options of {@link CacheStore.waitFor}. */
export interface WaitForOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Epoch ms: only an entry with `createdAt >= since` is served. Default: any entry. */
  since?: number;
}
