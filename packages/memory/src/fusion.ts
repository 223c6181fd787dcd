import { RRF_K } from './limits.js';

export interface FusedCandidate {
  rowid: number;
  score: number;
  bm25Rank?: number;
  vectorRank?: number;
}

/**
 * Reciprocal rank fusion of the BM25 and vector rankings (each best first): a candidate scores
 * the sum of 1 / (RRF_K + rank) over the rankings that hold it, rank counted from 1. Ranks, not raw
 * scores, are fused, so BM25's unbounded scores and cosine distances need no calibration. Ties go
 * to the candidate with the better single rank, then to the older memory (lower rowid).
 */
export function fuseRankings(bm25: readonly number[], vector: readonly number[]): FusedCandidate[] {
  const byRowid = new Map<number, FusedCandidate>();
  const candidate = (rowid: number): FusedCandidate => {
    let found = byRowid.get(rowid);
    if (!found) {
      found = { rowid, score: 0 };
      byRowid.set(rowid, found);
    }
    return found;
  };
  bm25.forEach((rowid, index) => {
    const entry = candidate(rowid);
    entry.bm25Rank = index + 1;
    entry.score += 1 / (RRF_K + index + 1);
  });
  vector.forEach((rowid, index) => {
    const entry = candidate(rowid);
    entry.vectorRank = index + 1;
    entry.score += 1 / (RRF_K + index + 1);
  });
  const bestRank = (entry: FusedCandidate) =>
    Math.min(entry.bm25Rank ?? Number.POSITIVE_INFINITY, entry.vectorRank ?? Number.POSITIVE_INFINITY);
  return [...byRowid.values()].sort(
    (a, b) => b.score - a.score || bestRank(a) - bestRank(b) || a.rowid - b.rowid,
  );
}
