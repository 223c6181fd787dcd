import { describe, expect, it } from 'vitest';
import { chooseSlot, PromptCache, type SlotState } from './prompt-cache.js';

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, index) => from + index);
const slot = (cache: number[], lastUsed = 0, busy = false): SlotState => ({ busy, cache, lastUsed });

describe('chooseSlot (llama-server get_available_slot)', () => {
  it('takes the slot sharing the largest fraction of the prompt, above 10 %', () => {
    const prompt = range(0, 100);
    const slots = [slot(range(0, 20)), slot(range(0, 60)), slot(range(500, 600))];
    expect(chooseSlot(slots, prompt)?.slot).toBe(slots[1]);
  });

  it('swaps a slot through the prompt cache when it keeps less than half of its tokens', () => {
    const prompt = [...range(0, 40), ...range(900, 960)];
    const keepsMost = chooseSlot([slot(range(0, 60))], prompt);
    const keepsLittle = chooseSlot([slot(range(0, 200))], prompt);
    expect(keepsMost?.updateCache).toBe(false);
    expect(keepsLittle?.updateCache).toBe(true);
  });

  it('falls back to the least recently used free slot, through the prompt cache', () => {
    const slots = [slot(range(500, 600), 3), slot(range(700, 800), 1), slot([], 0, true)];
    expect(chooseSlot(slots, range(0, 100))).toEqual({ slot: slots[1], updateCache: true });
    expect(chooseSlot([slot([], 0, true)], range(0, 10))).toBeUndefined();
  });
});

describe('PromptCache (llama-server --cache-ram)', () => {
  it('gives back the state that serves a later prompt best, once', () => {
    const cache = new PromptCache(10_000);
    const toolsPrefix = range(0, 200);
    const firstCall = [...toolsPrefix, ...range(1000, 1030)];
    cache.save(firstCall);
    const slotNow = [...range(0, 40), ...range(2000, 2150)];
    const nextQuestion = [...toolsPrefix, ...range(3000, 3020)];
    expect(cache.take(slotNow, nextQuestion)).toEqual(firstCall);
    expect(cache.take(slotNow, nextQuestion)).toBeUndefined();
  });

  it('restores nothing that would keep less than a quarter of itself, or serve less than the slot', () => {
    const cache = new PromptCache(10_000);
    cache.save(range(0, 400));
    expect(cache.take([], [...range(0, 50), ...range(900, 950)])).toBeUndefined();
    expect(cache.take(range(0, 300), [...range(0, 300), 5])).toBeUndefined();
  });

  it('keeps one copy of a prompt and drops the ones a longer state holds', () => {
    const cache = new PromptCache(10_000);
    cache.save(range(0, 100));
    cache.save(range(0, 50));
    expect(cache.size).toBe(100);
    cache.save(range(0, 150));
    expect(cache.size).toBe(150);
  });

  it('evicts the oldest states past its limit, keeping at least one', () => {
    const cache = new PromptCache(250);
    cache.save(range(0, 100));
    cache.save(range(1000, 1100));
    cache.save(range(2000, 2100));
    expect(cache.size).toBe(200);
    expect(cache.take([], range(0, 100))).toBeUndefined();
    cache.save(range(3000, 3400));
    expect(cache.size).toBe(400);
  });

  it('does nothing when disabled', () => {
    const cache = new PromptCache(0);
    cache.save(range(0, 100));
    expect(cache.size).toBe(0);
    expect(cache.take([], range(0, 100))).toBeUndefined();
  });
});
