/**
 * The tutorial LRU cache the issue calls "classic": a Map of entries with a last-used time; when
 * full, sort every entry by that time and drop the oldest. O(n log n) per insert once full.
 */
export class ClassicSortOnEvictCache<V> {
  readonly #entries = new Map<string, { value: V; lastUsed: number }>();
  readonly #max: number;
  #clock = 0;

  constructor(max: number) {
    this.#max = max;
  }

  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    entry.lastUsed = ++this.#clock;
    return entry.value;
  }

  set(key: string, value: V): void {
    if (!this.#entries.has(key) && this.#entries.size >= this.#max) {
      const oldest = [...this.#entries.entries()].sort((a, b) => a[1].lastUsed - b[1].lastUsed)[0];
      if (oldest !== undefined) this.#entries.delete(oldest[0]);
    }
    this.#entries.set(key, { value, lastUsed: ++this.#clock });
  }

  get size(): number {
    return this.#entries.size;
  }
}
