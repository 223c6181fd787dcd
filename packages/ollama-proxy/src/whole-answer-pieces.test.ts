import { describe, expect, it } from 'vitest';
import { isWholeAnswer, streamedPieces, tokenPieces } from './whole-answer-pieces.js';

describe('tokenPieces', () => {
  it('cuts text into word-sized pieces that join back into it', () => {
    const text = 'The sky is blue, mostly.\n\n  Rayleigh scattering: 42 nm — écoute!';
    const pieces = tokenPieces(text);
    expect(pieces.join('')).toBe(text);
    expect(pieces.slice(0, 6)).toEqual(['The', ' sky', ' is', ' blue', ',', ' mostly']);
    expect(pieces.length).toBeGreaterThan(12);
    expect(tokenPieces('')).toEqual([]);
  });
});

describe('streamedPieces', () => {
  const metrics = { total_duration: 5, eval_count: 4, done_reason: 'stop' };

  it('streams a whole chat answer as Ollama would: thinking, text, each tool call, then the final chunk', () => {
    const call = { id: 'call_1', function: { index: 0, name: 'f', arguments: { a: 1 } } };
    const whole = {
      model: 'm',
      created_at: 't',
      message: { role: 'assistant', content: 'Hi there.', thinking: 'Hm ok', tool_calls: [call] },
      done: true,
      ...metrics,
    };
    expect(isWholeAnswer(whole)).toBe(true);
    const chunks = streamedPieces(whole);
    expect(chunks.map((chunk) => chunk.message)).toEqual([
      { role: 'assistant', content: '', thinking: 'Hm' },
      { role: 'assistant', content: '', thinking: ' ok' },
      { role: 'assistant', content: 'Hi' },
      { role: 'assistant', content: ' there' },
      { role: 'assistant', content: '.' },
      { role: 'assistant', content: '', tool_calls: [call] },
      { role: 'assistant', content: '' },
    ]);
    expect(chunks.slice(0, -1).every((chunk) => chunk.done === false && chunk.model === 'm')).toBe(true);
    expect(chunks.at(-1)).toEqual({
      model: 'm',
      created_at: 't',
      message: { role: 'assistant', content: '' },
      done: true,
      ...metrics,
    });
  });

  it('streams a whole generate answer as response pieces and a final chunk with its context', () => {
    const whole = {
      model: 'm',
      created_at: 't',
      response: 'One two',
      done: true,
      context: [1, 2],
      ...metrics,
    };
    expect(streamedPieces(whole)).toEqual([
      { model: 'm', created_at: 't', response: 'One', done: false },
      { model: 'm', created_at: 't', response: ' two', done: false },
      { ...whole, response: '' },
    ]);
  });

  it('knows a streamed final chunk (no text) from a whole answer', () => {
    expect(isWholeAnswer({ model: 'm', message: { role: 'assistant', content: '' }, done: true })).toBe(
      false,
    );
    expect(isWholeAnswer({ model: 'm', response: 'x', done: false })).toBe(false);
  });
});
