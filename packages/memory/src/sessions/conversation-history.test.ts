import { describe, expect, it } from 'vitest';
import { ConversationHistory } from './conversation-history.js';

const turn = (n: number, size = 1) => [
  { role: 'user', content: `question ${n} ${'x'.repeat(size)}` },
  { role: 'assistant', content: `answer ${n}` },
];

describe('ConversationHistory', () => {
  it('keeps turns in order per session', () => {
    const history = new ConversationHistory();
    history.append('a', turn(1));
    history.append('b', turn(9));
    history.append('a', turn(2));
    expect(history.messages('a').map((message) => message.content)).toEqual([
      'question 1 x',
      'answer 1',
      'question 2 x',
      'answer 2',
    ]);
    expect(history.messages('missing')).toEqual([]);
  });

  it('drops the oldest turns past maxTurns', () => {
    const history = new ConversationHistory({ maxTurns: 3 });
    for (let n = 1; n <= 5; n++) history.append('s', turn(n));
    expect(history.size('s').turns).toBe(3);
    expect(history.messages('s')[0]!.content).toBe('question 3 x');
  });

  it('drops the oldest turns past maxBytes and never holds more', () => {
    const history = new ConversationHistory({ maxBytes: 1_000 });
    for (let n = 1; n <= 20; n++) {
      history.append('s', turn(n, 200));
      expect(history.size('s').bytes).toBeLessThanOrEqual(1_000);
    }
    const contents = history.messages('s').map((message) => message.content);
    expect(contents.at(-1)).toBe('answer 20');
    expect(history.size('s').turns).toBeGreaterThan(1);
    expect(history.size('s').turns).toBeLessThan(20);
  });

  it('does not keep a turn larger than maxBytes on its own', () => {
    const history = new ConversationHistory({ maxBytes: 100 });
    history.append('s', turn(1, 500));
    expect(history.size('s')).toEqual({ turns: 0, bytes: 0 });
  });

  it('drops the least recently used session past maxSessions', () => {
    const history = new ConversationHistory({ maxSessions: 2 });
    history.append('a', turn(1));
    history.append('b', turn(1));
    history.messages('a');
    history.append('c', turn(1));
    expect(history.sessions).toBe(2);
    expect(history.size('b').turns).toBe(0);
    expect(history.size('a').turns).toBe(1);
  });

  it('rejects bad bounds', () => {
    expect(() => new ConversationHistory({ maxTurns: 0 })).toThrow(/maxTurns/);
    expect(() => new ConversationHistory({ maxBytes: 1.5 })).toThrow(/maxBytes/);
  });
});
