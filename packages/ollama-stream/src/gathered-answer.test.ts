import { describe, expect, it } from 'vitest';
import type { ToolCall } from './chat-types.js';
import type { ChunkBase, Logprob } from './common-types.js';
import { GatheredAnswer } from './gathered-answer.js';

const plain: ChunkBase = { model: 'm', created_at: '2025-01-01T00:00:00Z', done: false };

function withLogprobs(logprobs: unknown): ChunkBase {
  return { ...plain, logprobs: logprobs as Logprob[] };
}

/** One generated token with `top` alternatives, as Ollama sends it with `top_logprobs`. */
function logprob(top: number): Logprob {
  const entry = { token: 'tok', logprob: -0.5, bytes: [116, 111, 107] };
  return { ...entry, top_logprobs: Array.from({ length: top }, () => ({ ...entry })) };
}

describe('GatheredAnswer', () => {
  it('keeps text and thinking up to the limit, counted by string length', () => {
    const gathered = new GatheredAnswer(10);
    expect(gathered.add('abcd', 'ef', undefined, plain)).toBe(true);
    expect(gathered.add('ghij', undefined, undefined, plain)).toBe(true);
    expect(gathered).toMatchObject({ content: 'abcdghij', thinking: 'ef', size: 10, overflowed: false });
    expect(gathered.extras()).toEqual({ thinking: 'ef' });
  });

  it('drops everything it gathered once past the limit, and keeps nothing more', () => {
    const gathered = new GatheredAnswer(10);
    gathered.add('abcdefghij', undefined, undefined, plain);
    expect(gathered.add('k', undefined, undefined, plain)).toBe(false);
    expect(gathered.add('', undefined, undefined, plain)).toBe(false);
    expect(gathered).toMatchObject({
      content: '',
      thinking: '',
      toolCalls: [],
      logprobs: [],
      overflowed: true,
    });
  });

  it('reaches the limit on logprobs alone, with top_logprobs counted, even when the text is empty', () => {
    const gathered = new GatheredAnswer(100_000);
    let chunks = 0;
    while (gathered.add('', undefined, undefined, withLogprobs([logprob(20)]))) chunks++;
    // One token with 20 alternatives is 21 entries of about 47 bytes each as JSON.
    expect(chunks).toBeGreaterThan(50);
    expect(chunks).toBeLessThan(150);
    expect(gathered.logprobs).toEqual([]);
  });

  it('counts tool calls by their name and arguments', () => {
    const call: ToolCall = { function: { name: 'search', arguments: { query: 'x'.repeat(500) } } };
    const gathered = new GatheredAnswer(1_000);
    expect(gathered.add('', undefined, [call], plain)).toBe(true);
    expect(gathered.size).toBeGreaterThan(500);
    expect(gathered.add('', undefined, [call], plain)).toBe(false);
  });

  it('keeps a finite size for malformed logprob entries, so the limit still holds', () => {
    const gathered = new GatheredAnswer(1_000);
    const odd = [null, 5, { token: 7, bytes: 'x' }, { token: 'a', top_logprobs: [null, { token: 'b' }] }];
    expect(gathered.add('', 12 as unknown as string, undefined, withLogprobs(odd))).toBe(true);
    expect(Number.isFinite(gathered.size)).toBe(true);
    expect(gathered.size).toBeGreaterThan(0);
    while (gathered.add('', undefined, undefined, withLogprobs(odd)));
    expect(gathered.overflowed).toBe(true);
  });
});
