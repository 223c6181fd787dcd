import type { Embedder } from './types.js';

export interface HashEmbedderOptions {
  /** Vector length. Default 256. */
  dimensions?: number;
  /** Also hash each word's character trigrams, so related spellings ("colour", "color") land close. Default true. */
  trigrams?: boolean;
}

const WORD = /[\p{L}\p{N}]+/gu;
const TRIGRAM_WEIGHT = 0.5;

/** 32-bit FNV-1a over the UTF-16 code units of a string. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * A deterministic embedder for tests and benchmarks, with no model: a hashed bag of words (and,
 * by default, character trigrams), signed by a hash bit, L2-normalised. Texts sharing words come
 * out close in cosine distance; it knows nothing of meaning. A text with no letters or digits is
 * embedded from its characters, so any non-blank text gets a non-zero vector.
 */
export class HashEmbedder implements Embedder {
  readonly dimensions: number;
  readonly #trigrams: boolean;

  constructor(options: HashEmbedderOptions = {}) {
    const { dimensions = 256, trigrams = true } = options;
    if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > 8192) {
      throw new TypeError(`HashEmbedder: dimensions must be an integer from 1 to 8192, got ${dimensions}`);
    }
    if (typeof trigrams !== 'boolean') {
      throw new TypeError(`HashEmbedder: trigrams must be a boolean, got ${String(trigrams)}`);
    }
    this.dimensions = dimensions;
    this.#trigrams = trigrams;
  }

  async embed(texts: string[], options: { signal?: AbortSignal } = {}): Promise<number[][]> {
    options.signal?.throwIfAborted();
    return texts.map((text) => this.embedOne(text));
  }

  /** The vector of one text, synchronously. */
  embedOne(text: string): number[] {
    const vector = new Array<number>(this.dimensions).fill(0);
    const add = (feature: string, weight: number) => {
      const hash = fnv1a(feature);
      vector[hash % this.dimensions]! += hash & 0x80000000 ? -weight : weight;
    };
    const normalized = text.normalize('NFKC').toLowerCase();
    const words = normalized.match(WORD) ?? [...normalized.replace(/\s+/gu, '')];
    for (const word of words) {
      add(word, 1);
      if (!this.#trigrams || word.length < 3) continue;
      const padded = `^${word}$`;
      for (let i = 0; i + 3 <= padded.length; i++) add(`#${padded.slice(i, i + 3)}`, TRIGRAM_WEIGHT);
    }
    const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
    return norm === 0 ? vector : vector.map((value) => value / norm);
  }
}
