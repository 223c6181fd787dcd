import { describe, expect, it } from 'vitest';
import { HashEmbedder } from './hash-embedder.js';

function cosine(a: number[], b: number[]): number {
  return a.reduce((sum, value, index) => sum + value * b[index]!, 0);
}

describe('HashEmbedder', () => {
  it('is deterministic, of the configured length, and L2-normalised', async () => {
    const embedder = new HashEmbedder({ dimensions: 64 });
    const [first, second] = await embedder.embed(['The user likes tea', 'The user likes tea']);
    expect(first).toHaveLength(64);
    expect(first).toEqual(second);
    expect(Math.hypot(...first!)).toBeCloseTo(1, 6);
  });

  it('puts texts sharing words closer than unrelated texts', () => {
    const embedder = new HashEmbedder();
    const query = embedder.embedOne('favourite colour blue');
    const related = embedder.embedOne('my favorite color is blue');
    const unrelated = embedder.embedOne('the train leaves at noon');
    expect(cosine(query, related)).toBeGreaterThan(cosine(query, unrelated) + 0.2);
  });

  it('ignores case and Unicode width', () => {
    const embedder = new HashEmbedder();
    expect(embedder.embedOne('ＣＯＦＦＥＥ')).toEqual(embedder.embedOne('coffee'));
  });

  it('gives a non-zero vector to text without letters or digits', () => {
    expect(new HashEmbedder().embedOne('?!').some((value) => value !== 0)).toBe(true);
  });

  it('can leave out trigrams', () => {
    const embedder = new HashEmbedder({ dimensions: 1024, trigrams: false });
    expect(embedder.embedOne('coffee').filter((value) => value !== 0)).toHaveLength(1);
  });

  it('rejects bad options with a TypeError naming them', () => {
    expect(() => new HashEmbedder({ dimensions: 0 })).toThrow(/dimensions must be an integer.*got 0/);
    expect(() => new HashEmbedder({ dimensions: 1.5 })).toThrow(TypeError);
    expect(() => new HashEmbedder({ trigrams: 'yes' as unknown as boolean })).toThrow(/trigrams/);
  });

  it('honours an aborted signal', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(new HashEmbedder().embed(['x'], { signal: controller.signal })).rejects.toThrow('stop');
  });
});
