import { describe, expect, it } from 'vitest';
import { MAX_QUERY_TERMS } from './limits.js';
import { queryTerms } from './query-terms.js';

describe('queryTerms', () => {
  it('keeps the words, lower case, in order', () => {
    expect(queryTerms('Dark roast coffee')).toEqual(['dark', 'roast', 'coffee']);
  });

  it('turns full-text syntax into plain words', () => {
    expect(queryTerms('"coffee" AND (tea OR milk*) NEAR(a b) title:x ^start -no & | !')).toEqual([
      'coffee',
      'and',
      'tea',
      'or',
      'milk',
      'near',
      'a',
      'b',
      'title',
      'x',
      'start',
      'no',
    ]);
  });

  it('is empty when the query has no letters or digits', () => {
    expect(queryTerms('"()*:^-+ !!! ...')).toEqual([]);
  });

  it('keeps letters of every script and folds full-width forms', () => {
    expect(queryTerms('café 東京 ｃｏｆｆｅｅ')).toEqual(['café', '東京', 'coffee']);
  });

  it('drops repeated words and stops at the term limit', () => {
    expect(queryTerms('tea Tea TEA')).toEqual(['tea']);
    const words = Array.from({ length: MAX_QUERY_TERMS + 10 }, (_, index) => `w${index}`);
    expect(queryTerms(words.join(' '))).toHaveLength(MAX_QUERY_TERMS);
  });
});
