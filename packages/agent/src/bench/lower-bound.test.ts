import { describe, expect, it } from 'vitest';
import { firstTokenBound } from './lower-bound.js';

// The simulator's `seed` profile for llama3.2:3b, and its embedding model.
const seed = { overheadMs: 20, promptTokensPerSecond: 1000, tokensPerSecond: 40, embedMsPerInput: 15 };

describe('firstTokenBound', () => {
  it('adds overhead, uncached prefill and the first answer token of a text turn', () => {
    const bound = firstTokenBound(
      { embeddings: 1, calls: [{ uncachedPromptTokens: 60, writtenTokens: 1, toolMs: [] }] },
      seed,
    );
    // 20 + 15 to embed the question, then 20 + 60 tokens at 1,000/s + 1 token at 40/s.
    expect(bound).toEqual({
      totalMs: 140,
      overheadMs: 40,
      embedMs: 15,
      prefillMs: 60,
      writeMs: 25,
      toolsMs: 0,
    });
  });

  it('adds the tool calls written, the slowest tool when it is the last one asked for, and the second prefill', () => {
    const bound = firstTokenBound(
      {
        embeddings: 0,
        calls: [
          { uncachedPromptTokens: 100, writtenTokens: 40, toolMs: [250, 400] },
          { uncachedPromptTokens: 80, writtenTokens: 1, toolMs: [] },
        ],
      },
      seed,
    );
    expect(bound.writeMs).toBe(1_000 + 25);
    expect(bound.toolsMs).toBe(400);
    expect(bound.prefillMs).toBe(180);
    expect(bound.totalMs).toBe(40 + 180 + 1_025 + 400);
  });

  it('lets an early slow tool hide behind the writing of the later calls', () => {
    const call = (toolMs: number[]) =>
      firstTokenBound(
        { embeddings: 0, calls: [{ uncachedPromptTokens: 0, writtenTokens: 40, toolMs }] },
        seed,
      );
    // 1,000 ms of writing: a 1,200 ms tool asked first ends at least 200 ms after it...
    expect(call([1_200, 100]).toolsMs).toBe(200);
    // ...and never before the last tool, which starts only once the model wrote it.
    expect(call([900, 100]).toolsMs).toBe(100);
  });

  it('uses the embedding model for the embedding when given', () => {
    const embedder = { ...seed, overheadMs: 5, embedMsPerInput: 3 };
    const bound = firstTokenBound({ embeddings: 1, calls: [] }, seed, embedder);
    expect(bound).toMatchObject({ overheadMs: 5, embedMs: 3, totalMs: 8 });
  });
});
