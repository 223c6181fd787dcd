import { canonicalParams } from './canonical-params.js';

/**
 * The cache key of one search: scope (length-prefixed), canonical params, normalised query. The canonical
 * params text never holds a raw line feed (JSON escapes it), so the three parts cannot run into each other.
 */
export function searchKey(scope: string, normalizedQuery: string, params: unknown): string {
  return `${scope.length}:${scope}\n${canonicalParams(params)}\n${normalizedQuery}`;
}
