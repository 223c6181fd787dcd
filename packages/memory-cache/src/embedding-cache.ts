import { LRUCache } from 'lru-cache';
import { MemoryCacheError } from './errors.js';
import { aborted } from './in-flight-search.js';
import {
  invalidOption,
  knownOptions,
  positiveFinite,
  positiveInteger,
  requireString,
} from './validate-option.js';

/** What an embedding may be given as; it is stored (and returned) as a Float32Array. */
export type EmbeddingInput = Float32Array | Float64Array | readonly number[];

export interface EmbeddingCacheOptions {
  /** How long an embedding stays valid, in ms. Default 86,400,000 (24 h). */
  ttlMs?: number;
  /** Bound on the stored bytes (vectors + keys + a fixed overhead per entry). Default 33,554,432 (32 MiB). */
  maxBytes?: number;
}

export type ComputeEmbeddings = (
  texts: string[],
  options: { signal: AbortSignal | undefined },
) => Promise<readonly EmbeddingInput[]> | readonly EmbeddingInput[];

export interface EmbeddingCacheStats {
  entries: number;
  /** Bytes counted against `maxBytes`. */
  bytes: number;
  hits: number;
  misses: number;
  /** hits / (hits + misses); 0 before any. */
  hitRate: number;
}

interface Entry {
  vector: Float32Array;
  expiresAt: number;
}

/** Bytes counted per entry beyond its vector and key: the entry object, the typed array header, the LRU slot. */
const ENTRY_OVERHEAD_BYTES = 96;

/** Caches embeddings by model + exact text, bounded by bytes, so a repeated text never calls `/api/embed` again. */
export class EmbeddingCache {
  readonly #ttlMs: number;
  readonly #entries: LRUCache<string, Entry>;
  #hits = 0;
  #misses = 0;

  constructor(options: EmbeddingCacheOptions = {}) {
    knownOptions('options', options, ['ttlMs', 'maxBytes']);
    this.#ttlMs = positiveFinite('ttlMs', options.ttlMs, 86_400_000);
    const maxBytes = positiveInteger('maxBytes', options.maxBytes, 32 * 1024 * 1024);
    this.#entries = new LRUCache<string, Entry>({
      maxSize: maxBytes,
      sizeCalculation: (entry, key) => entry.vector.byteLength + key.length * 2 + ENTRY_OVERHEAD_BYTES,
    });
  }

  /** A copy of the stored embedding, or `undefined`. */
  get(model: string, text: string): Float32Array | undefined {
    const vector = this.#read(embeddingKey(model, text));
    if (vector === undefined) {
      this.#misses++;
      return undefined;
    }
    this.#hits++;
    return vector.slice();
  }

  /** Stores a copy of `embedding` as float32 (what Ollama computes in). One larger than `maxBytes` is not stored. */
  set(model: string, text: string, embedding: EmbeddingInput): void {
    this.#write(embeddingKey(model, text), toFloat32(embedding, 'embedding'));
  }

  /**
   * The embeddings of `texts` in order. Only the texts not cached (each once, however often it repeats) go to
   * `computeMissing`, in one call, which must return one embedding per text it was given, in that order.
   */
  async getOrCompute(
    model: string,
    texts: readonly string[],
    computeMissing: ComputeEmbeddings,
    options: { signal?: AbortSignal } = {},
  ): Promise<Float32Array[]> {
    if (!Array.isArray(texts)) throw invalidOption('texts', 'an array of strings', texts);
    if (typeof computeMissing !== 'function')
      throw invalidOption('computeMissing', 'a function', computeMissing);
    knownOptions('options', options, ['signal']);
    const { signal } = options;
    if (signal?.aborted) throw aborted('The embedding lookup was aborted', signal.reason);
    const results: (Float32Array | undefined)[] = new Array(texts.length);
    const missing = new Map<string, number[]>();
    texts.forEach((text, index) => {
      requireString(`texts[${index}]`, text);
      const vector = this.#read(embeddingKey(model, text));
      if (vector !== undefined) {
        this.#hits++;
        results[index] = vector.slice();
        return;
      }
      this.#misses++;
      const positions = missing.get(text);
      if (positions) positions.push(index);
      else missing.set(text, [index]);
    });
    if (missing.size === 0) return results as Float32Array[];

    const missingTexts = [...missing.keys()];
    const computed = await computeMissing(missingTexts, { signal });
    if (!Array.isArray(computed) || computed.length !== missingTexts.length) {
      throw new MemoryCacheError(
        'MEMORY_CACHE_EMBEDDING_COUNT_MISMATCH',
        `computeMissing returned ${Array.isArray(computed) ? `${computed.length} embeddings` : 'no array'} for ${missingTexts.length} texts`,
      );
    }
    missingTexts.forEach((text, slot) => {
      const vector = toFloat32(computed[slot], `computeMissing(...)[${slot}]`);
      this.#write(embeddingKey(model, text), vector);
      for (const index of missing.get(text) ?? []) results[index] = vector.slice();
    });
    return results as Float32Array[];
  }

  stats(): EmbeddingCacheStats {
    const lookups = this.#hits + this.#misses;
    return {
      entries: this.#entries.size,
      bytes: this.#entries.calculatedSize,
      hits: this.#hits,
      misses: this.#misses,
      hitRate: lookups === 0 ? 0 : this.#hits / lookups,
    };
  }

  #read(key: string): Float32Array | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (Date.now() < entry.expiresAt) return entry.vector;
    this.#entries.delete(key);
    return undefined;
  }

  #write(key: string, vector: Float32Array): void {
    this.#entries.set(key, { vector, expiresAt: Date.now() + this.#ttlMs });
  }
}

function embeddingKey(model: string, text: string): string {
  requireString('model', model);
  requireString('text', text);
  return `${model.length}:${model}\n${text}`;
}

/** A fresh Float32Array the cache owns; throws a TypeError naming `where` for anything but finite numbers. */
function toFloat32(embedding: unknown, where: string): Float32Array {
  if (!(Array.isArray(embedding) || embedding instanceof Float32Array || embedding instanceof Float64Array)) {
    throw invalidOption(where, 'a Float32Array, Float64Array or array of numbers', embedding);
  }
  const vector = new Float32Array(embedding.length);
  for (let index = 0; index < embedding.length; index++) {
    const value: unknown = embedding[index];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw invalidOption(`${where}[${index}]`, 'a finite number', value);
    }
    vector[index] = value;
  }
  return vector;
}
