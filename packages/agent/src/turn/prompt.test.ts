import type { MemorySearchResult } from '@lunar/memory';
import { describe, expect, it } from 'vitest';
import { buildPrompt } from './prompt.js';

const date = new Date('2026-03-04T10:00:00Z');
const memory = (text: string) => ({ text }) as MemorySearchResult;
const history = [
  { role: 'user' as const, content: 'Hi' },
  { role: 'assistant' as const, content: 'Hello!' },
];

describe('buildPrompt', () => {
  it('with a stable prefix and no memory, sends the system prompt with the date, the history and the question only', () => {
    const messages = buildPrompt({
      system: 'Be brief.',
      history,
      memories: [],
      message: 'How do tides work?',
      date,
      stablePrefix: true,
    });
    expect(messages).toEqual([
      { role: 'system', content: 'Be brief.\n\nToday is 2026-03-04.' },
      ...history,
      { role: 'user', content: 'How do tides work?' },
    ]);
  });

  it('with a stable prefix, puts the memories found after the history, in a message of their own', () => {
    const messages = buildPrompt({
      system: undefined,
      history,
      memories: [memory('my cat is\nMiso')],
      message: 'What is my cat called?',
      date,
      stablePrefix: true,
    });
    expect(messages).toEqual([
      { role: 'system', content: 'Today is 2026-03-04.' },
      ...history,
      {
        role: 'user',
        content: 'Context for my next message (not a question):\nRelevant memories:\n- my cat is Miso',
      },
      { role: 'user', content: 'What is my cat called?' },
    ]);
  });

  it('the classic way, puts the date and the memories at the top of the system prompt', () => {
    const messages = buildPrompt({
      system: 'Be brief.',
      history: [],
      memories: [memory('my cat is Miso')],
      message: 'What is my cat called?',
      date,
      stablePrefix: false,
    });
    expect(messages).toEqual([
      {
        role: 'system',
        content: 'Today is 2026-03-04.\nRelevant memories:\n- my cat is Miso\n\nBe brief.',
      },
      { role: 'user', content: 'What is my cat called?' },
    ]);
  });
});
