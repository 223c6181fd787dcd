import type { RankQuery } from '../engine.js';
import { fuseRankings } from '../fusion.js';
import { candidateLimit } from '../limits.js';
import type { MemorySearchResult } from '../types.js';
import { isZeroVector } from '../vector.js';
import { type MemoryStatements, toMemory } from './statements.js';

/**
 * An FTS5 MATCH expression from the query's words: each quoted (a word holds no double quote, so
 * quoting is always safe), joined with OR, so BM25 ranks documents matching more and rarer words
 * first. `undefined` when there are none.
 */
export function ftsExpression(terms: readonly string[]): string | undefined {
  return terms.length === 0 ? undefined : terms.map((term) => `"${term}"`).join(' OR ');
}

/**
 * Both rankings (each bounded to `candidateLimit(k)` and filtered to the scope inside SQL), fused by
 * reciprocal rank, the top k loaded. Call inside one read transaction, so all three reads agree.
 */
export function rankMemories(statements: MemoryStatements, query: RankQuery): MemorySearchResult[] {
  const { vector, scope, k } = query;
  const ftsQuery = ftsExpression(query.terms);
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
