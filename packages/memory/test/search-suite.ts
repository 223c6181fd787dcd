import { expect, it } from 'vitest';
import { HashEmbedder } from '../src/hash-embedder.js';
import type { CommonStoreOptions } from '../src/store-options.js';
import type { Embedder, MemoryStore } from '../src/types.js';

/** A tiny "semantic" embedder: one dimension per concept, so synonyms land together without sharing words. */
const CONCEPTS: Record<string, string[]> = {
  dog: ['dog', 'dogs', 'puppy', 'canine', 'hound'],
  food: ['food', 'kibble', 'meal', 'eats'],
  weather: ['rain', 'sunny', 'weather', 'forecast'],
  money: ['budget', 'money', 'cost', 'price'],
};
const conceptEmbedder: Embedder = {
  async embed(texts) {
    return texts.map((text) => {
      const words = text.toLowerCase().split(/\W+/);
      const vector = Object.values(CONCEPTS).map(
        (synonyms) => words.filter((word) => synonyms.includes(word)).length,
      );
      return [...vector, 0.01]; // a small constant component keeps every vector non-zero
    });
  },
};

/** Hybrid search: what every engine's full-text and vector rankings, fused, must find. */
export function searchSuite(
  openStore: (options?: Partial<CommonStoreOptions>) => Promise<MemoryStore>,
): void {
  const open = (embedder: Embedder = new HashEmbedder()) => openStore({ embedder });

  it('finds exact words through BM25', async () => {
    const store = await open();
    await store.addMany(
      Array.from({ length: 30 }, (_, index) => ({
        text: `The user mentioned ordinary topic number ${index}`,
      })),
    );
    const target = await store.add('The user once travelled to Zanzibar');
    const [best] = await store.search('zanzibar', { k: 3 });
    expect(best).toMatchObject({ id: target.id, bm25Rank: 1 });
  });

  it('stems words, so "remember birthdays" finds "remembers every birthday"', async () => {
    const store = await open();
    const memory = await store.add('She remembers every birthday');
    const results = await store.search('remember birthdays');
    expect(results[0]).toMatchObject({ id: memory.id, bm25Rank: 1 });
  });

  it('finds related texts through the vector ranking when no word is shared', async () => {
    const store = await open(conceptEmbedder);
    await store.add('It will rain tomorrow');
    const hound = await store.add('The hound loves kibble');
    await store.add('The budget is tight');
    const [best] = await store.search('puppy food', { k: 1 });
    expect(best).toMatchObject({ id: hound.id, vectorRank: 1 });
    expect(best?.bm25Rank).toBeUndefined();
  });

  it('fuses the rankings: found by both beats found by one', async () => {
    const store = await open(conceptEmbedder);
    const both = await store.add('Buy puppy food on Saturday');
    const vectorOnly = await store.add('The hound loves kibble');
    const wordsOnly = await store.add('The food court opens at noon');
    await store.add('It will rain tomorrow');
    const results = await store.search('puppy food', { k: 3 });
    expect(results.map((result) => result.id)).toEqual([both.id, wordsOnly.id, vectorOnly.id]);
    expect(results[0]).toMatchObject({ bm25Rank: 1 });
    expect(results[1]).toMatchObject({ bm25Rank: 2, vectorRank: 3 });
    expect(results[2]?.bm25Rank).toBeUndefined();
    expect(results[0]!.score).toBeGreaterThan(results[1]!.score);
    expect(results[1]!.score).toBeGreaterThan(results[2]!.score);
  });

  it('filters by scope inside both rankings, even when other scopes crowd the top', async () => {
    const store = await open();
    await store.addMany(
      Array.from({ length: 60 }, () => ({ text: 'coffee order for the team', scope: 'bob' })),
    );
    const alice = await store.add('alice drinks tea, sometimes coffee', { scope: 'alice' });
    const results = await store.search('coffee order for the team', { scope: 'alice', k: 5 });
    expect(results.map((result) => result.id)).toEqual([alice.id]);
    expect(results[0]).toMatchObject({ bm25Rank: 1, vectorRank: 1, scope: 'alice' });
    const everywhere = await store.search('coffee order for the team', { k: 10 });
    expect(everywhere).toHaveLength(10);
    expect(everywhere.every((result) => result.scope === 'bob')).toBe(true);
    expect(await store.search('coffee', { scope: 'carol' })).toEqual([]);
  });

  it('returns at most k results, with metadata and times', async () => {
    const store = await open();
    await store.addMany(
      Array.from({ length: 12 }, (_, index) => ({ text: `note ${index}`, metadata: { index } })),
    );
    const results = await store.search('note', { k: 4 });
    expect(results).toHaveLength(4);
    expect(results[0]).toEqual(
      expect.objectContaining({ metadata: expect.any(Object), createdAt: expect.any(Number) }),
    );
    expect(await store.search('note')).toHaveLength(5);
  });

  it('returns nothing, without embedding, before anything was stored', async () => {
    let calls = 0;
    const store = await open({
      embed: async (texts) => {
        calls++;
        return texts.map(() => [1]);
      },
    });
    expect(await store.search('anything')).toEqual([]);
    expect(calls).toBe(0);
  });

  it.each([
    ['"'],
    ['""'],
    ["it's"],
    ['(coffee'],
    ['coffee)'],
    ['AND'],
    ['coffee AND'],
    ['OR NOT'],
    ['NEAR(coffee tea, 2)'],
    ['*'],
    ['coff*'],
    ['text:coffee'],
    [':'],
    ['^coffee'],
    ['-coffee'],
    ['+'],
    ['{text}: coffee'],
    ['!!! ... ???'],
    ['\\'],
    ['\u0000'],
    ['\u0301'],
    ['☕️🙂'],
    ['ｃｏｆｆｅｅ'],
    ['"coffee"'],
  ])('never throws an FTS5 syntax error for %j', async (query) => {
    const store = await open();
    await store.add('The user orders coffee with oat milk');
    await expect(store.search(query)).resolves.toBeInstanceOf(Array);
  });

  it('treats quoted words as words', async () => {
    const store = await open();
    const memory = await store.add('The user orders coffee with oat milk');
    await store.add('Another memory about trains');
    expect((await store.search('"coffee" AND (milk)'))[0]).toMatchObject({ id: memory.id, bm25Rank: 1 });
  });
}
