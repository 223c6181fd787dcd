import { MemoryError } from './errors.js';
import { MAX_DIMENSIONS } from './limits.js';

/**
 * Checks what an embedder returned (one non-empty vector of finite numbers per text, all the same
 * length) and converts each to an L2-normalised Float32Array, the form stored in sqlite-vec.
 * A zero vector stays zero: it is stored, and simply never ranked by the vector search.
 */
export function toUnitVectors(raw: unknown, expectedCount: number): Float32Array[] {
  if (!Array.isArray(raw) || raw.length !== expectedCount) {
    const got = Array.isArray(raw) ? `${raw.length} vectors` : typeof raw;
    throw new MemoryError(
      'MEMORY_EMBED_FAILED',
      `the embedder must return ${expectedCount} vector(s), one per text; it returned ${got}`,
    );
  }
  const length = Array.isArray(raw[0]) ? raw[0].length : 0;
  return raw.map((vector: unknown, index) => {
    if (!Array.isArray(vector) || vector.length === 0 || vector.length > MAX_DIMENSIONS) {
      throw new MemoryError(
        'MEMORY_EMBED_FAILED',
        `the embedder returned something other than a vector of 1 to ${MAX_DIMENSIONS} numbers at index ${index}`,
      );
    }
    if (vector.length !== length) {
      throw new MemoryError(
        'MEMORY_EMBED_FAILED',
        `the embedder returned vectors of different lengths in one call (${length} and ${vector.length})`,
      );
    }
    const out = new Float32Array(length);
    let sumOfSquares = 0;
    for (let i = 0; i < length; i++) {
      const value: unknown = vector[i];
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new MemoryError(
          'MEMORY_EMBED_FAILED',
          `the embedder returned a non-finite value at vector ${index}, position ${i}`,
        );
      }
      out[i] = value;
      sumOfSquares += value * value;
    }
    const norm = Math.sqrt(sumOfSquares);
    if (norm > 0) for (let i = 0; i < length; i++) out[i] = out[i]! / norm;
    return out;
  });
}

export function isZeroVector(vector: Float32Array): boolean {
  return vector.every((value) => value === 0);
}

export function dimensionMismatch(stored: number, got: number, what: string): MemoryError {
  return new MemoryError(
    'MEMORY_DIMENSION_MISMATCH',
    `dimension mismatch: this memory store holds ${stored}-dimension vectors, but ${what} has ${got} ` +
      '(embed with the model the store was created with, or use a new store)',
  );
}
