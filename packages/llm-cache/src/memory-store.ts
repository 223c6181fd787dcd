import { LRUCache } from 'lru-cache';
import type { CacheEntry } from './cache-entry.js';
import type { CacheStore, CacheStoreStats } from './cache-store.js';
import { assertKnownOptions, assertPositiveInteger } from './validate.js';

export interface MemoryCacheStoreOptions {
  /** Most entries kept. Default 10,000. */
  maxEntries?: number;
  /** Most estimated bytes kept (each entry's `size`). Default 64 MiB. */
  maxBytes?: number;
}

const wallClock = { now: () => Date.now() };

/**
 * The default store: lru-cache bounded by entry count and by bytes, TTL per entry, O(1) per
 * operation. Entries are kept as the frozen objects the cache hands over, so a hit copies nothing.
 */
export class MemoryCacheStore implements CacheStore {
  readonly #lru: LRUCache<string, CacheEntry>;
  #evictions = 0;

  constructor(options: MemoryCacheStoreOptions = {}) {
    assertKnownOptions(options, ['maxEntries', 'maxBytes']);
    const maxEntries = options.maxEntries ?? 10_000;
    const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    assertPositiveInteger('maxEntries', maxEntries);
    assertPositiveInteger('maxBytes', maxBytes);
    this.#lru = new LRUCache<string, CacheEntry>({
      max: maxEntries,
      maxSize: maxBytes,
      sizeCalculation: (entry) => Math.max(1, Math.ceil(entry.size)),
      // Wall-clock time, like a networked store's TTL; no timer per read (ttlResolution 0).
      perf: wallClock,
      ttlResolution: 0,
      dispose: (_entry, _key, reason) => {
        if (reason === 'evict') this.#evictions++;
      },
    });
  }

  get(key: string): CacheEntry | undefined {
    return this.#lru.get(key);
  }

  set(key: string, entry: CacheEntry, ttlMs: number): void {
    this.#lru.set(key, entry, { ttl: Number.isFinite(ttlMs) ? ttlMs : 0 });
  }

  delete(key: string): void {
    this.#lru.delete(key);
  }

  clear(): void {
    this.#lru.clear();
  }

  stats(): CacheStoreStats {
    return { entries: this.#lru.size, bytes: this.#lru.calculatedSize, evictions: this.#evictions };
  }
}
