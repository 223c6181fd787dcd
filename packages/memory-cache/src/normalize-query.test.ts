import { describe, expect, it } from 'vitest';
import { normalizeQuery } from './normalize-query.js';

describe('normalizeQuery', () => {
  it('lower-cases, trims and collapses inner whitespace of every kind', () => {
    expect(normalizeQuery('  What did   Alice\tSAY\n about\u00a0Paris?  ')).toBe(
      'what did alice say about paris?',
    );
  });

  it('folds compatibility forms with NFKC', () => {
    expect(normalizeQuery('ＤＡＲＫ\u3000ｍｏｄｅ')).toBe('dark mode');
    expect(normalizeQuery('ﬁle ②')).toBe('file 2');
  });

  it('composes decomposed accents, so both spellings of café meet', () => {
    expect(normalizeQuery('Cafe\u0301')).toBe(normalizeQuery('Café'));
  });

  it('keeps punctuation and word order: a different question stays different', () => {
    expect(normalizeQuery('alice likes bob')).not.toBe(normalizeQuery('bob likes alice'));
    expect(normalizeQuery('c++')).toBe('c++');
  });
});
