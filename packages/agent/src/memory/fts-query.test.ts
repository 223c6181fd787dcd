import { describe, expect, it } from 'vitest';
import { buildFtsQuery } from './fts-query.js';
import { MAX_QUERY_TERMS } from './limits.js';

describe('buildFtsQuery', () => {
  it('quotes each word and joins them with OR', () => {
    expect(buildFtsQuery('Dark roast coffee')).toBe('"dark" OR "roast" OR "coffee"');
  });

  it('turns FTS5 syntax into plain words', () => {
    expect(buildFtsQuery('"coffee" AND (tea OR milk*) NEAR(a b) title:x ^start -no')).toBe(
      '"coffee" OR "and" OR "tea" OR "or" OR "milk" OR "near" OR "a" OR "b" OR "title" OR "x" OR "start" OR "no"',
    );
  });

  it('returns undefined when the query has no letters or digits', () => {
    expect(buildFtsQuery('"()*:^-+ !!! ...')).toBeUndefined();
  });

  it('keeps letters of every script and folds full-width forms', () => {
    expect(buildFtsQuery('café 東京 ｃｏｆｆｅｅ')).toBe('"café" OR "東京" OR "coffee"');
  });

  it('drops repeated words and stops at the term limit', () => {
    expect(buildFtsQuery('tea Tea TEA')).toBe('"tea"');
    const words = Array.from({ length: MAX_QUERY_TERMS + 10 }, (_, index) => `w${index}`);
    expect(buildFtsQuery(words.join(' '))?.split(' OR ')).toHaveLength(MAX_QUERY_TERMS);
  });
});
