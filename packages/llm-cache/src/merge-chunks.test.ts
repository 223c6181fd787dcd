import { describe, expect, it } from 'vitest';
import { mergeChunks } from './merge-chunks.js';
import type { LLMChunk } from './types.js';

describe('mergeChunks', () => {
  it('builds the non-streamed chat response: text joined, tool calls gathered, final metrics kept', () => {
    const call = (index: number, city: string) => ({
      id: `call_${index}`,
      function: { index, name: 'w', arguments: { city } },
    });
    const chunks: LLMChunk[] = [
      { model: 'q', message: { role: 'assistant', content: 'Let me ', thinking: 'A' }, done: false },
      { model: 'q', message: { role: 'assistant', content: 'check.', thinking: 'B' }, done: false },
      {
        model: 'q',
        message: { role: 'assistant', content: '', tool_calls: [call(0, 'Tokyo')] },
        done: false,
      },
      { model: 'q', message: { role: 'assistant', content: '', tool_calls: [call(1, 'Oslo')] }, done: false },
      {
        model: 'q',
        created_at: 't9',
        message: { role: 'assistant', content: '' },
        done: true,
        done_reason: 'stop',
        total_duration: 9,
      },
    ];
    expect(mergeChunks(chunks)).toEqual({
      model: 'q',
      created_at: 't9',
      message: {
        role: 'assistant',
        content: 'Let me check.',
        thinking: 'AB',
        tool_calls: [call(0, 'Tokyo'), call(1, 'Oslo')],
      },
      done: true,
      done_reason: 'stop',
      total_duration: 9,
    });
  });

  it('joins generate responses and keeps the context of the final chunk', () => {
    const chunks = [
      { model: 'm', response: 'Hello', done: false },
      { model: 'm', response: ' world', done: false },
      { model: 'm', response: '', done: true, context: [1, 2, 3] },
    ] as LLMChunk[];
    expect(mergeChunks(chunks)).toEqual({
      model: 'm',
      response: 'Hello world',
      done: true,
      context: [1, 2, 3],
    });
  });

  it('returns a single chunk as it is and refuses none', () => {
    const only = { model: 'm', response: 'x', done: true };
    expect(mergeChunks([only])).toBe(only);
    expect(() => mergeChunks([])).toThrow(RangeError);
  });
});
