function describe(value: unknown): string {
  if (typeof value === 'string') return `\`${JSON.stringify(value)}\` (string)`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'bigint') return `\`${value}n\` (bigint)`;
  if (typeof value === 'object' && value !== null)
    return `an object (${value.constructor?.name ?? 'null prototype'})`;
  return `\`${String(value)}\` (${typeof value})`;
}

/** Throws a TypeError such as: Expected `ttlMs` to be a positive finite number, got `-1` (number). */
export function invalidOption(name: string, expected: string, value: unknown): TypeError {
  return new TypeError(`Expected \`${name}\` to be ${expected}, got ${describe(value)}`);
}

export function positiveFinite(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw invalidOption(name, 'a positive finite number', value);
  }
  return value;
}

export function nonNegativeFinite(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalidOption(name, 'a finite number from 0 and up', value);
  }
  return value;
}

export function positiveInteger(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw invalidOption(name, 'an integer from 1 and up', value);
  }
  return value;
}

export function requireString(name: string, value: unknown): string {
  if (typeof value !== 'string') throw invalidOption(name, 'a string', value);
  return value;
}

/** Throws a TypeError unless `options` is an object whose every key is `known`; names the first that is not. */
export function knownOptions(name: string, options: unknown, known: readonly string[]): void {
  if (typeof options !== 'object' || options === null) throw invalidOption(name, 'an object', options);
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new TypeError(`Unknown option \`${key}\` in \`${name}\`: expected one of ${known.join(', ')}`);
    }
  }
}
