import leven from 'leven';

/** Every key of `T`, each once: a record type makes the compiler check the list is complete. */
export type OptionKeys<T> = Readonly<Record<keyof T, true>>;

/** The known key `key` most likely meant: one it starts with (or that starts with it), else the nearest spelling. */
function closest(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const prefixed = known.find((candidate) => {
    const other = candidate.toLowerCase();
    return Math.min(lower.length, other.length) >= 4 && (lower.startsWith(other) || other.startsWith(lower));
  });
  if (prefixed !== undefined) return prefixed;
  let best: string | undefined;
  let distance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const candidate of known) {
    const next = leven(lower, candidate.toLowerCase());
    if (next < distance) {
      best = candidate;
      distance = next;
    }
  }
  return best;
}

/**
 * Throws a TypeError naming the first key of `options` that is not one of `keys`, with the key
 * meant when it can tell (from `hints`, e.g. `{ ollama: 'client' }`, else the nearest spelling).
 */
export function checkOptionKeys<T>(
  label: string,
  options: object,
  keys: OptionKeys<T>,
  hints: Readonly<Record<string, keyof T & string>> = {},
): void {
  const known = Object.keys(keys);
  for (const key of Object.keys(options)) {
    if (Object.hasOwn(keys, key)) continue;
    const meant = Object.hasOwn(hints, key) ? hints[key] : closest(key, known);
    const suggestion = meant === undefined ? '' : `; did you mean ${JSON.stringify(meant)}?`;
    throw new TypeError(
      `${label}: unknown option ${JSON.stringify(key)}${suggestion} (the options are ${known.join(', ')})`,
    );
  }
}

/** Throws a TypeError unless `value` is a plain object (or undefined, when allowed). */
export function checkObject(label: string, value: unknown): asserts value is object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${label} must be an object, got ${value === null ? 'null' : typeof value}`);
  }
}
