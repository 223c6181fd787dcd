import { describe, expect, it } from 'vitest';
import { composeAnswer, keywords, leadFor } from './answer-text.js';
import { seededRandom } from './random.js';
import { countTokens } from './tokenize.js';

describe('answer text', () => {
  it('picks keywords from the prompt', () => {
    expect(keywords('What is the capital of France and its population?')).toEqual([
      'capital',
      'france',
      'population',
    ]);
    expect(leadFor('Why is the sky blue?')).toBe('You asked about blue.');
    expect(leadFor('hi')).toBe('Here is a simulated answer.');
  });

  it('composes exactly answerTokens tokens', () => {
    for (const target of [1, 2, 5, 24, 68, 301]) {
      expect(countTokens(composeAnswer('You asked about sky.', target, seededRandom(target)))).toBe(target);
    }
  });

  it('is deterministic for a seeded source and varies otherwise', () => {
    expect(composeAnswer('Hi.', 40, seededRandom(7))).toBe(composeAnswer('Hi.', 40, seededRandom(7)));
    expect(composeAnswer('Hi.', 40, seededRandom(7))).not.toBe(composeAnswer('Hi.', 40, seededRandom(8)));
  });
});
