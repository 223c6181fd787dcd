import type { LLMChunk, LLMRoute } from './types.js';

/**
 * One stored answer. Plain JSON data, so a networked store can serialise it as it is
 * (`JSON.stringify`) and check it on the way back with {@link isCacheEntry}.
 */
export interface CacheEntry<C extends LLMChunk = LLMChunk> {
  /** Format version; entries of another version are ignored. */
  readonly version: 1;
  readonly route: LLMRoute;
  /** The chunks as upstream sent them; one whole response when `streamed` is false. */
  readonly chunks: readonly C[];
  /** True when recorded from a stream, false for a whole response. */
  readonly streamed: boolean;
  /** Arrival of each chunk in ms after the upstream call started (used for paced replay). */
  readonly timings: readonly number[];
  /** How long upstream took to produce the whole answer, in ms: the time a hit saves. */
  readonly durationMs: number;
  /** When the answer was stored, epoch ms. */
  readonly createdAt: number;
  /** Estimated heap bytes of the entry; what `maxBytes` counts. */
  readonly size: number;
}

/** Checks the shape of an entry read back from a store. */
export function isCacheEntry(value: unknown): value is CacheEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Partial<Record<keyof CacheEntry, unknown>>;
  return (
    entry.version === 1 &&
    typeof entry.route === 'string' &&
    Array.isArray(entry.chunks) &&
    entry.chunks.length > 0 &&
    typeof entry.streamed === 'boolean' &&
    Array.isArray(entry.timings) &&
    typeof entry.durationMs === 'number' &&
    typeof entry.createdAt === 'number' &&
    typeof entry.size === 'number'
  );
}
