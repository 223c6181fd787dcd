import { MAX_DIMENSIONS } from './limits.js';
import type { Embedder, MemorySearchInvalidator } from './types.js';

/** Options every memory store takes, whatever its engine. */
export interface CommonStoreOptions {
  embedder: Embedder;
  /** Vector length. Default: fixed by the first embedding stored, then kept in the database. */
  dimensions?: number;
  /** Invalidated for the written scope after every committed add or delete. */
  cache?: MemorySearchInvalidator;
  /** Clock for `createdAt`. Default `Date.now`. */
  now?: () => number;
}

export interface ResolvedCommonOptions {
  embedder: Embedder;
  dimensions: number | undefined;
  cache: MemorySearchInvalidator | undefined;
  now: () => number;
}

export const COMMON_OPTION_NAMES = ['embedder', 'dimensions', 'cache', 'now'] as const;

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' && value !== null ? 'an object' : String(value);
}

/** A `TypeError` naming the option, what it must be, and what it was. */
export function optionError(owner: string, option: string, expected: string, value: unknown): TypeError {
  return new TypeError(`${owner}: options.${option} must be ${expected}, got ${show(value)}`);
}

/** Checks that `options` is an object with no key outside `known`. */
export function checkOptionKeys(owner: string, options: unknown, known: readonly string[]): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${owner}: options must be an object, got ${show(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new TypeError(`${owner}: unknown option ${JSON.stringify(key)} (known: ${known.join(', ')})`);
    }
  }
}

export function hasMethod(value: unknown, name: string): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Record<string, unknown>)[name] === 'function'
  );
}

/** An integer in [min, max] or the fallback; a bad one is a `TypeError` naming the option. */
export function integerOption(
  owner: string,
  option: string,
  value: unknown,
  bounds: { min: number; max: number; fallback: number },
): number {
  if (value === undefined) return bounds.fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < bounds.min || value > bounds.max) {
    throw optionError(owner, option, `an integer from ${bounds.min} to ${bounds.max}`, value);
  }
  return value;
}

/** Checks the options common to every store. */
export function resolveCommonOptions(owner: string, options: CommonStoreOptions): ResolvedCommonOptions {
  const { embedder, dimensions, cache, now = Date.now } = options;
  if (!hasMethod(embedder, 'embed')) {
    throw optionError(owner, 'embedder', 'an object with an embed(texts) method', embedder);
  }
  if (
    dimensions !== undefined &&
    (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > MAX_DIMENSIONS)
  ) {
    throw optionError(owner, 'dimensions', `an integer from 1 to ${MAX_DIMENSIONS}`, dimensions);
  }
  if (cache !== undefined && !hasMethod(cache, 'invalidate')) {
    throw optionError(owner, 'cache', 'an object with an invalidate(scope) method', cache);
  }
  if (typeof now !== 'function') throw optionError(owner, 'now', 'a function returning milliseconds', now);
  return { embedder, dimensions, cache, now };
}
