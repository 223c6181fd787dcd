import { describe, expect, it } from 'vitest';
import { fuseRankings } from './fusion.js';
import { RRF_K } from './limits.js';

describe('fuseRankings', () => {
  it('scores each candidate by the sum of 1 / (60 + rank) over the rankings holding it', () => {
    const fused = fuseRankings([10, 20], [20, 30]);
    expect(fused.map((entry) => entry.rowid)).toEqual([20, 10, 30]);
    expect(fused[0]).toEqual({
      rowid: 20,
      score: 1 / (RRF_K + 2) + 1 / (RRF_K + 1),
      bm25Rank: 2,
      vectorRank: 1,
    });
    expect(fused[1]).toEqual({ rowid: 10, score: 1 / (RRF_K + 1), bm25Rank: 1 });
    expect(fused[2]).toEqual({ rowid: 30, score: 1 / (RRF_K + 2), vectorRank: 2 });
  });

  it('ranks a candidate found by both rankings above one that tops a single ranking', () => {
    const fused = fuseRankings([1, 2, 3], [4, 5, 3]);
    expect(fused[0]?.rowid).toBe(3);
  });

  it('breaks equal scores by the better single rank, then by the older rowid', () => {
    expect(fuseRankings([7], [3]).map((entry) => entry.rowid)).toEqual([3, 7]);
    expect(fuseRankings([9, 1], [1, 9]).map((entry) => entry.rowid)).toEqual([1, 9]);
  });

  it('works with one ranking empty', () => {
    expect(fuseRankings([], [5, 6]).map((entry) => entry.rowid)).toEqual([5, 6]);
    expect(fuseRankings([], [])).toEqual([]);
  });
});
