/** Small deterministic helpers: a string hash and a seeded random source. */

/** 32-bit FNV-1a hash of a string (UTF-16 code units), as an unsigned integer. */
export function hashString(text: string, seed = 0x811c9dc5): number {
  let hash = seed >>> 0;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Mulberry32: a fast seeded generator of numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random source seeded from Math.random: differs on every call. */
export function freshRandom(): () => number {
  return seededRandom(Math.floor(Math.random() * 4294967296));
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `length` characters of `[a-z0-9]` drawn from `random`. */
export function randomId(random: () => number, length: number): string {
  let id = '';
  for (let index = 0; index < length; index++) {
    id += ID_ALPHABET[Math.floor(random() * ID_ALPHABET.length)];
  }
  return id;
}
