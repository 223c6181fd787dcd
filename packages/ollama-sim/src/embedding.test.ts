import { describe, expect, it } from 'vitest';
import { cosineSimilarity, embed } from './embedding.js';

const norm = (values: number[]) => Math.sqrt(values.reduce((sum, value) => sum + value * value, 0));

describe('embed', () => {
  it('is deterministic, normalised and of the asked dimension', () => {
    const vector = embed('The quick brown fox', 768);
    expect(vector).toHaveLength(768);
    expect(norm(vector)).toBeCloseTo(1, 10);
    expect(embed('The quick brown fox', 768)).toEqual(vector);
    expect(embed('hello', 32)).toHaveLength(32);
  });

  it('puts texts that share words nearer than unrelated texts', () => {
    const query = embed('how do I reset my password');
    const related = embed('reset your password from the account page');
    const unrelated = embed('bananas are rich in potassium');
    expect(cosineSimilarity(query, related)).toBeGreaterThan(cosineSimilarity(query, unrelated) + 0.2);
  });

  it('gives text without words a unit vector too', () => {
    expect(norm(embed('?!', 16))).toBeCloseTo(1, 10);
    expect(norm(embed('', 16))).toBeCloseTo(1, 10);
  });
});
