import { MAX_QUERY_TERMS } from './limits.js';

const WORD = /[\p{L}\p{N}]+/gu;

/**
 * The words of a user's query, never its syntax: runs of letters and digits, NFKC-folded and lower
 * case, each once, at most MAX_QUERY_TERMS. Each engine turns them into its own full-text query
 * (quoted and joined with OR), so quotes, parentheses, `AND`/`NEAR`/`&`/`|`, `*`, `^`, `-` and `:`
 * are only ever text. Empty when the query has no words (only punctuation, say).
 */
export function queryTerms(query: string): string[] {
  const terms = new Set<string>();
  for (const [word] of query.normalize('NFKC').matchAll(WORD)) {
    terms.add(word.toLowerCase());
    if (terms.size === MAX_QUERY_TERMS) break;
  }
  return [...terms];
}
