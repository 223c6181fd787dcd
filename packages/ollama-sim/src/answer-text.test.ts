import { describe, expect, it } from 'vitest';
import { bestMemory, composeAnswer, keywords, leadFor, toolResultAnswer } from './answer-text.js';
import { seededRandom } from './random.js';
import { SimTokenizer } from './tokenizer.js';

const count = (text: string): number => new SimTokenizer({}).encode(text).length;

describe('answer text', () => {
  it('says the answer is simulated and what the prompt is about', () => {
    expect(keywords('What is the capital of France and its population?')).toEqual([
      'capital',
      'france',
      'population',
    ]);
    expect(leadFor('Why is the sky blue?')).toBe('Simulated answer about blue.');
    expect(leadFor('hi')).toBe('This is a simulated answer.');
    expect(leadFor('Why is the sky blue?', 4821)).toBe('Simulated answer about blue (draw 4821).');
  });

  it('composes whole sentences of exactly answerTokens tokens', () => {
    for (const target of [8, 9, 10, 24, 25, 68, 301, 1000]) {
      for (const seed of [1, 2, 3, 4, 5]) {
        const answer = composeAnswer(['Simulated answer about sky.'], target, seededRandom(seed));
        expect(count(answer)).toBe(target);
        expect(answer).toMatch(/\.$/);
      }
    }
    expect(
      composeAnswer(['A very long first sentence that cannot fit in the budget at all.'], 4, seededRandom(1)),
    ).toBe('A very long.');
  });

  it('is deterministic for a seeded source and varies otherwise', () => {
    expect(composeAnswer(['Hi.'], 40, seededRandom(7))).toBe(composeAnswer(['Hi.'], 40, seededRandom(7)));
    expect(composeAnswer(['Hi.'], 40, seededRandom(7))).not.toBe(composeAnswer(['Hi.'], 40, seededRandom(8)));
  });

  it('finds the memory in the context that best matches the question', () => {
    const context =
      'Context for my next message (not a question):\nToday is 2025-01-01.\nRelevant memories:\n- my dog is Rex\n- my cat is Miso';
    expect(bestMemory([context], 'what is my cat called?')).toBe('my cat is Miso');
    expect(bestMemory([context], 'how tall is Everest?')).toBeUndefined();
    expect(bestMemory(['- my cat is Miso (a list, not memories)'], 'my cat?')).toBeUndefined();
  });

  it('says each tool result in a sentence, never as raw JSON, within the budget', () => {
    const results = [
      { name: 'get_weather', content: '{"city":"Paris","temperature":21,"sky":"clear","wind":{"kmh":5}}' },
      { name: 'calculate', content: '{"expression":"6 * 7","result":42}' },
      { name: 'current_time', content: '{"error":"Unknown time zone \\"x\\"."}' },
      { name: 'recall', content: '[{"id":"a1","text":"my cat is Miso"},{"id":"b2","text":"my dog is Rex"}]' },
    ];
    const answer = toolResultAnswer(results, 200);
    expect(answer).toBe(
      'get_weather returned city Paris, temperature 21, sky clear. calculate returned result 42, expression 6 * 7. current_time failed: Unknown time zone "x". recall returned 2 items, the first: text my cat is Miso, id a1.',
    );
    const short = toolResultAnswer(results, 24);
    expect(count(short)).toBeLessThanOrEqual(24);
    for (const name of ['get_weather', 'calculate', 'current_time', 'recall']) expect(short).toContain(name);
    expect(short).not.toMatch(/[{}[\]]/);
    expect(short).toMatch(/\.$/);
    expect(short).not.toMatch(/[,;:]\./);
  });
});
