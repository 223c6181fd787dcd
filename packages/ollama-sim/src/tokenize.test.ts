import { describe, expect, it } from 'vitest';
import { countTokens, tokenize } from './tokenize.js';

describe('tokenize', () => {
  it('splits words every 4 characters and keeps punctuation apart', () => {
    expect(tokenize('Hello, tokenization!')).toEqual(['Hell', 'o', ',', ' toke', 'niza', 'tion', '!']);
  });

  it('treats a special marker as one token and attaches whitespace to the next token', () => {
    expect(tokenize('<|user|>Hi  there\n')).toEqual(['<|user|>', 'Hi', '  ther', 'e', '\n']);
  });

  it('concatenates back to the input, multi-byte text included', () => {
    const text = '  Grüße aus Köln 🚀 — 東京は晴れ。 <b>&amp;</b>\t';
    expect(tokenize(text).join('')).toBe(text);
    expect(countTokens(text)).toBe(tokenize(text).length);
  });

  it('counts nothing in an empty string', () => {
    expect(tokenize('')).toEqual([]);
    expect(countTokens('')).toBe(0);
  });

  it('tokenizes a concatenation after a marker as the concatenation of the parts', () => {
    const prompt = '<|user|>What is up?\n<|assistant|>';
    const answer = ' All good, thanks.';
    expect(tokenize(prompt + answer)).toEqual([...tokenize(prompt), ...tokenize(answer)]);
  });
});
