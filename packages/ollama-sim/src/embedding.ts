/**
 * Deterministic embeddings: a hashed bag of words (plus, at a quarter of the weight, each word's
 * character trigrams), randomly projected to a dense vector and L2-normalised. Each feature adds
 * its own pseudo-random +1/-1 direction, seeded by the feature's hash, so inner products between
 * texts follow their shared features: texts that share words are nearer (higher cosine
 * similarity) than texts that do not, and the same text always gives the same vector. Text
 * without letters or digits counts as one feature made of the whole text.
 */
import { hashString, seededRandom } from './random.js';

const WORD_WEIGHT = 1;
const TRIGRAM_WEIGHT = 0.25;

function features(text: string): Map<string, number> {
  const weights = new Map<string, number>();
  const add = (feature: string, weight: number) => weights.set(feature, (weights.get(feature) ?? 0) + weight);
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  for (const word of words) {
    add(`w:${word}`, WORD_WEIGHT);
    const padded = `^${word}$`;
    for (let index = 0; index + 3 <= padded.length; index++)
      add(`t:${padded.slice(index, index + 3)}`, TRIGRAM_WEIGHT);
  }
  if (words.length === 0) add(`x:${text}`, 1);
  return weights;
}

/** The embedding of `text`, `dimensions` long, with unit L2 norm. */
export function embed(text: string, dimensions = 768): number[] {
  const vector = new Float64Array(dimensions);
  for (const [feature, weight] of features(text)) {
    const random = seededRandom(hashString(feature));
    for (let index = 0; index < dimensions; index++) {
      vector[index] = (vector[index] ?? 0) + (random() < 0.5 ? -weight : weight);
    }
  }
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
