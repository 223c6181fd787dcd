import type { Redis } from 'ioredis';
import type { Logger } from './logger.js';

/** A bad option value as an error message shows it: a short primitive, or only its kind. */
export function shown(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (value === null || typeof value !== 'object')
    return typeof value === 'function' ? 'a function' : String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}

export function assertObject(name: string, value: unknown): asserts value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`Expected \`${name}\` to be an object, got ${shown(value)}`);
  }
}

/** Throws a TypeError naming the first key of `options` that is not `known` (`name`: where it sits). */
export function assertKnownKeys(name: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new TypeError(
        `Unknown option \`${name === '' ? key : `${name}.${key}`}\`: expected one of ${known.join(', ')}`,
      );
    }
  }
}

export function positiveInteger(name: string, value: unknown, fallback: number): number {
  const resolved = value ?? fallback;
  if (typeof resolved !== 'number' || !Number.isSafeInteger(resolved) || resolved <= 0) {
    throw new TypeError(`Expected \`${name}\` to be a positive integer, got ${shown(resolved)}`);
  }
  return resolved;
}

/** A byte threshold: a non-negative integer, or Infinity for "never". */
export function threshold(name: string, value: unknown, fallback: number): number {
  const resolved = value ?? fallback;
  const valid =
    resolved === Number.POSITIVE_INFINITY ||
    (typeof resolved === 'number' && Number.isSafeInteger(resolved) && resolved >= 0);
  if (!valid) {
    throw new TypeError(
      `Expected \`${name}\` to be a non-negative integer or Infinity, got ${shown(resolved)}`,
    );
  }
  return resolved as number;
}

export function nonEmptyString(name: string, value: unknown, fallback: string, maxLength = 256): string {
  const resolved = value ?? fallback;
  if (typeof resolved !== 'string' || resolved.length === 0 || resolved.length > maxLength) {
    throw new TypeError(
      `Expected \`${name}\` to be a non-empty string of at most ${maxLength} characters, got ${shown(resolved)}`,
    );
  }
  return resolved;
}

/** An ioredis client, or a `redis://` / `rediss://` URL the package connects to itself. */
export function redisSource(value: unknown): Redis | string {
  const client = value as Partial<Record<'duplicate' | 'sendCommand' | 'on', unknown>> | null;
  if (
    typeof client?.duplicate === 'function' &&
    typeof client.sendCommand === 'function' &&
    typeof client.on === 'function'
  ) {
    return value as Redis;
  }
  if (typeof value === 'string' && /^rediss?:\/\/./.test(value)) return value;
  throw new TypeError(`Expected \`redis\` to be an ioredis client or a redis:// URL, got ${shown(value)}`);
}

export function logger(value: unknown): Logger | undefined {
  if (value === false) return undefined;
  if (value === undefined) return console;
  const candidate = value as Partial<Record<keyof Logger, unknown>> | null;
  if (typeof candidate?.warn !== 'function' || typeof candidate.info !== 'function') {
    throw new TypeError(
      `Expected \`logger\` to have warn() and info() methods, or be false, got ${shown(value)}`,
    );
  }
  return value as Logger;
}

export function errorHandler<T>(value: unknown): ((error: T) => void) | undefined {
  if (value !== undefined && typeof value !== 'function') {
    throw new TypeError(`Expected \`onError\` to be a function, got ${shown(value)}`);
  }
  return value as ((error: T) => void) | undefined;
}

export function assertSignal(name: string, value: unknown): asserts value is AbortSignal | undefined {
  if (value !== undefined && !(value instanceof AbortSignal)) {
    throw new TypeError(`Expected \`${name}\` to be an AbortSignal, got ${shown(value)}`);
  }
}
