import { fuseRankings } from './fusion.js';
import { candidateLimit } from './limits.js';
import { type MemoryStatements, toMemory } from './memory-statements.js';
import type { MemorySearchResult } from './types.js';
import { isZeroVector } from './vector.js';

export interface HybridQuery {
  /** FTS5 expression from `buildFtsQuery`; `undefined` skips the BM25 ranking. */
  ftsQuery: string | undefined;
  /** The L2-normalised query embedding; a zero vector skips the vector ranking. */
  vector: Float32Array;
  scope: string | undefined;
  k: number;
}

/**
 * Both rankings (each bounded to `candidateLimit(k)` and filtered to the scope inside SQL), fused by
 * reciprocal rank, the top k loaded. Call inside one read transaction, so all three reads agree.
 */
export function rankMemories(statements: MemoryStatements, query: HybridQuery): MemorySearchResult[] {
  const { ftsQuery, vector, scope, k } = query;
  const limit = candidateLimit(k);
  const bm25 =
    ftsQuery === undefined
      ? []
      : scope === undefined
        ? statements.bm25All.all(ftsQuery, limit)
        : statements.bm25Scope.all(ftsQuery, scope, limit);
  const nearest = isZeroVector(vector)
    ? []
    : scope === undefined
      ? statements.vectors().nearestAll.all(vector, limit)
      : statements.vectors().nearestScope.all(vector, limit, scope);
  const fused = fuseRankings(
    bm25.map((row) => row.id),
    // A stored zero vector has no cosine distance (NULL): it cannot be ranked by meaning.
    nearest.filter((row) => row.distance !== null).map((row) => row.id),
  ).slice(0, k);
  const rows = new Map(
    statements.getRows.all(JSON.stringify(fused.map((entry) => entry.rowid))).map((row) => [row.id, row]),
  );
  return fused.flatMap(({ rowid, ...ranking }) => {
    const row = rows.get(rowid);
    return row === undefined ? [] : [{ ...toMemory(row), ...ranking }];
  });
}
