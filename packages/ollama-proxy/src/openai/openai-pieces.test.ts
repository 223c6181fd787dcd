import { describe, expect, it } from 'vitest';
import { FreshIds, pieceOf } from './openai-pieces.js';

describe('pieceOf', () => {
  it('marks what a piece carries, by reference, for the cache', () => {
    const calls = [
      { id: 'call_aaaaaaaa', index: 0, type: 'function', function: { name: 'f', arguments: '{}' } },
    ];
    const chunk = {
      id: 'chatcmpl-1',
      choices: [
        { index: 0, delta: { content: 'Hi', reasoning: 'hm', tool_calls: calls }, finish_reason: null },
      ],
    };
    const piece = pieceOf(chunk, false);
    expect(piece).toMatchObject({ response: 'Hi', thinking: 'hm' });
    expect(piece.tool_calls).toBe(calls);
    expect(piece.done).toBeUndefined();
    expect(pieceOf({ choices: [{ text: 'x' }] }, false).response).toBe('x');
    const vectors = [[0.1, 0.2]];
    const list = pieceOf(
      { object: 'list', data: [{ object: 'embedding', embedding: vectors[0], index: 0 }] },
      true,
    );
    expect(list.done).toBe(true);
    expect(list.embeddings?.[0]).toBe(vectors[0]);
  });
});

describe('FreshIds', () => {
  it('gives a replay new ids and created, the same across its pieces, and leaves the stored ones alone', () => {
    const stored = {
      id: 'chatcmpl-42',
      created: 1,
      choices: [{ index: 0, delta: { tool_calls: [{ id: 'call_abcdefgh', function: { name: 'f' } }] } }],
    };
    const fresh = new FreshIds();
    const first = fresh.apply({ data: stored });
    const second = fresh.apply({ data: { ...stored, choices: [] } });
    const data = first.data as typeof stored;
    expect(data.id).toMatch(/^chatcmpl-\d{1,3}$/);
    expect((second.data as typeof stored).id).toBe(data.id);
    expect(data.created).toBeGreaterThan(1_700_000_000);
    expect(data.choices[0]!.delta.tool_calls[0]!.id).toMatch(/^call_[a-z0-9]{8}$/);
    expect(data.choices[0]!.delta.tool_calls[0]!.id).not.toBe('call_abcdefgh');
    expect(stored.id).toBe('chatcmpl-42');
    expect(stored.choices[0]!.delta.tool_calls[0]!.id).toBe('call_abcdefgh');
    expect(fresh.apply({ data: '[DONE]', done: true })).toEqual({ data: '[DONE]', done: true });
  });
});
