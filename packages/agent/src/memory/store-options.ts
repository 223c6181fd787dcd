import { MAX_DIMENSIONS } from './limits.js';
import type { MemoryStoreOptions } from './types.js';

export interface ResolvedStoreOptions {
  path: string;
  embedder: MemoryStoreOptions['embedder'];
  dimensions: number | undefined;
  cache: MemoryStoreOptions['cache'];
  now: () => number;
  busyTimeoutMs: number;
}

function fail(option: string, expected: string, value: unknown): never {
  const shown =
    typeof value === 'string'
      ? JSON.stringify(value)
      : typeof value === 'object' && value !== null
        ? 'an object'
        : String(value);
  throw new TypeError(`MemoryStore: options.${option} must be ${expected}, got ${shown}`);
}

function hasMethod(value: unknown, name: string): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Record<string, unknown>)[name] === 'function'
  );
}

/** Checks `MemoryStore.open` options; a bad one is a `TypeError` naming the option and the value. */
export function resolveStoreOptions(options: MemoryStoreOptions): ResolvedStoreOptions {
  if (typeof options !== 'object' || options === null) fail('', 'an object', options);
  const { path, embedder, dimensions, cache, now = Date.now, busyTimeoutMs = 5000 } = options;
  if (typeof path !== 'string' || path === '') fail('path', "a file path or ':memory:'", path);
  if (!hasMethod(embedder, 'embed')) fail('embedder', 'an object with an embed(texts) method', embedder);
  if (
    dimensions !== undefined &&
    (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > MAX_DIMENSIONS)
  ) {
    fail('dimensions', `an integer from 1 to ${MAX_DIMENSIONS}`, dimensions);
  }
  if (cache !== undefined && !hasMethod(cache, 'invalidate')) {
    fail('cache', 'an object with an invalidate(scope) method', cache);
  }
  if (typeof now !== 'function') fail('now', 'a function returning milliseconds', now);
  if (!Number.isInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    fail('busyTimeoutMs', 'a non-negative integer', busyTimeoutMs);
  }
  return { path, embedder, dimensions, cache, now, busyTimeoutMs };
}
