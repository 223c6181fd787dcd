import { describe } from './describe.js';

export function assertPositiveInteger(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new TypeError(`Expected \`${name}\` to be a positive integer, got ${describe(value)}`);
  }
}

export function assertPositiveDuration(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new TypeError(
      `Expected \`${name}\` to be a positive number of ms (or Infinity), got ${describe(value)}`,
    );
  }
}

export function assertOneOf<T extends string>(
  name: string,
  value: unknown,
  allowed: readonly T[],
): asserts value is T {
  if (!allowed.includes(value as T)) {
    throw new TypeError(
      `Expected \`${name}\` to be one of ${allowed.map((item) => `'${item}'`).join(', ')}, got ${describe(value)}`,
    );
  }
}

export function assertSignal(name: string, value: unknown): asserts value is AbortSignal | undefined {
  if (value !== undefined && !(value instanceof AbortSignal)) {
    throw new TypeError(`Expected \`${name}\` to be an AbortSignal, got ${describe(value)}`);
  }
}

/** Throws a TypeError naming the first key of `options` that is not `known` (a typo, or an option of something else). */
export function assertKnownOptions(options: object, known: readonly string[], prefix = ''): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new TypeError(`Unknown option \`${prefix}${key}\`: expected one of ${known.join(', ')}`);
    }
  }
}
