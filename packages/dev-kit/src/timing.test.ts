import { describe, expect, it } from 'vitest';
import { race, timeRounds } from './timing.js';

describe('timeRounds', () => {
  it('runs the warm-up unmeasured, then gives one duration per measured round', async () => {
    const rounds: number[] = [];
    const durations = await timeRounds(async (round) => rounds.push(round), 3, 2);
    expect(rounds).toEqual([0, 1, 0, 1, 2]);
    expect(durations).toHaveLength(3);
    expect(durations.every((duration) => duration >= 0)).toBe(true);
  });
});

describe('race', () => {
  it('interleaves the contestants round by round, after a warm-up of each', async () => {
    const calls: string[] = [];
    const results = await race(
      { a: () => calls.push('a'), b: async () => calls.push('b') },
      { warmup: 1, rounds: 2, perRound: 2 },
    );
    expect(calls.join('')).toBe('ab' + 'aabb' + 'aabb');
    expect(results.a.samples).toBe(4);
    expect(results.b.samples).toBe(4);
    expect(results.a.p50).toBeGreaterThanOrEqual(0);
  });
});
