/**
 * Deterministic embeddings: a hashed bag of words plus, at a quarter of the weight, hashed
 * character trigrams of each word, L2-normalised. Texts that share words are nearer (higher
 * cosine similarity) than texts that do not; the same text always gives the same vector.
 * Text without letters or digits hashes as a whole into one dimension.
 */
import { hashString } from './random.js';

const WORD_WEIGHT = 1;
const TRIGRAM_WEIGHT = 0.25;

function addFeature(vector: Float64Array, feature: string, weight: number): void {
  const hash = hashString(feature);
  const index = hash % vector.length;
  const sign = hashString(feature, 0x9e3779b9) & 1 ? 1 : -1;
  vector[index] = (vector[index] ?? 0) + sign * weight;
}

/** The embedding of `text`, `dimensions` long, with unit L2 norm. */
export function embed(text: string, dimensions = 768): number[] {
  const vector = new Float64Array(dimensions);
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  for (const word of words) {
    addFeature(vector, `w:${word}`, WORD_WEIGHT);
    const padded = `^${word}$`;
    for (let index = 0; index + 3 <= padded.length; index++) {
      addFeature(vector, `t:${padded.slice(index, index + 3)}`, TRIGRAM_WEIGHT);
    }
  }
  if (words.length === 0) addFeature(vector, `x:${text}`, 1);
  return normalise(Array.from(vector));
}

/** Scales to unit L2 norm (a zero vector stays zero). */
export function normalise(values: number[]): number[] {
  let sum = 0;
  for (const value of values) sum += value * value;
  const norm = Math.sqrt(sum);
  return norm === 0 ? values : values.map((value) => value / norm);
}

/** Cosine similarity of two vectors of the same length. */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let index = 0; index < a.length; index++) {
    const x = a[index] ?? 0;
    const y = b[index] ?? 0;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}
