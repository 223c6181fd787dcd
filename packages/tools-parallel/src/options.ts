/** Largest delay setTimeout honours; longer ones fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

/** A value as an error message shows it: `value` (type). */
export function show(value: unknown): string {
  return `\`${typeof value === 'string' ? JSON.stringify(value) : String(value)}\` (${typeof value})`;
}

/** An integer from `min` up, or `Infinity` when `infinite` is allowed. `label` names the option. */
export function assertCount(label: string, value: unknown, min: number, infinite = false): number {
  if (
    (infinite && value === Number.POSITIVE_INFINITY) ||
    (Number.isInteger(value) && (value as number) >= min)
  ) {
    return value as number;
  }
  const range = infinite ? `an integer from ${min} and up or \`Infinity\`` : `an integer from ${min} and up`;
  throw new TypeError(`Expected ${label} to be ${range}, got ${show(value)}`);
}

/** Milliseconds above zero and at most what setTimeout can wait, or `Infinity` for no deadline. */
export function assertTimeout(label: string, value: unknown): number {
  if (
    value === Number.POSITIVE_INFINITY ||
    (typeof value === 'number' && value > 0 && value <= MAX_TIMER_MS)
  ) {
    return value;
  }
  throw new TypeError(
    `Expected ${label} to be milliseconds above 0 and at most ${MAX_TIMER_MS}, or \`Infinity\`, got ${show(value)}`,
  );
}

export function assertFunction(label: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'function') {
    throw new TypeError(`Expected ${label} to be a function, got ${show(value)}`);
  }
}

export function assertSignal(label: string, value: unknown): void {
  if (value !== undefined && !(value instanceof AbortSignal)) {
    throw new TypeError(`Expected ${label} to be an AbortSignal, got ${show(value)}`);
  }
}

/** Throws a TypeError naming the first key of `options` that is not `known` (`label` says whose). */
export function assertKnownKeys(label: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new TypeError(`Unknown option \`${key}\` in ${label}: expected one of ${known.join(', ')}`);
    }
  }
}
