import type { CacheEntry } from '@lunar/llm-cache';
import { entryFingerprint } from './entry-codec.js';

/** What a read noted when it began, to tell afterwards whether its key changed meanwhile. */
export interface ReadTicket {
  readonly key: string;
  readonly all: number;
  readonly own: number;
}

interface KeyGeneration {
  generation: number;
  readers: number;
  /** Fingerprint of the last answer another replica announced while reads were in flight. */
  announced: string | undefined;
}

/**
 * Tells whether a key was invalidated (deleted, replaced, cleared, here or on another replica)
 * while a read of it was in flight, so that a late answer from Redis does not put a stale entry
 * back into the local tier. A generation per key, bumped on each invalidation, plus one for
 * `clear`; an answer another replica announced with its fingerprint invalidates every other
 * entry only. Bounded: a key is kept only while a read of it is in flight.
 */
export class ReadGenerations {
  readonly #keys = new Map<string, KeyGeneration>();
  #all = 0;

  /** Notes the start of a read of `key`; pair it with {@link end}. */
  begin(key: string): ReadTicket {
    let state = this.#keys.get(key);
    if (state === undefined) {
      state = { generation: 0, readers: 0, announced: undefined };
      this.#keys.set(key, state);
    }
    state.readers++;
    return { key, all: this.#all, own: state.generation };
  }

  /** True when `entry`, read under `ticket`, may be kept: nothing invalidated it meanwhile. */
  current(ticket: ReadTicket, entry: CacheEntry): boolean {
    const state = this.#keys.get(ticket.key);
    if (state === undefined || ticket.all !== this.#all || ticket.own !== state.generation) return false;
    return state.announced === undefined || state.announced === entryFingerprint(entry);
  }

  /** Notes the end of a read (answered, failed or thrown). */
  end(ticket: ReadTicket): void {
    const state = this.#keys.get(ticket.key);
    if (state !== undefined && --state.readers === 0) this.#keys.delete(ticket.key);
  }

  /** `key` was deleted or replaced by an answer not known: reads of it in flight are stale. */
  invalidate(key: string): void {
    const state = this.#keys.get(key);
    if (state !== undefined) state.generation++;
  }

  /** `key` was replaced by the answer with this fingerprint: a read that returns another is stale. */
  announce(key: string, fingerprint: string): void {
    const state = this.#keys.get(key);
    if (state !== undefined) state.announced = fingerprint;
  }

  /** Every key was dropped: every read in flight is stale. */
  invalidateAll(): void {
    this.#all++;
  }

  /** Keys with a read in flight (what is kept). */
  get size(): number {
    return this.#keys.size;
  }
}
