import { MAX_QUERY_TERMS } from './limits.js';

const WORD = /[\p{L}\p{N}]+/gu;

/**
 * An FTS5 MATCH expression built from the words of a user's query, never from its syntax: each word
 * (a run of letters and digits) becomes a quoted string, joined with OR, so quotes, parentheses,
 * `AND`/`NEAR`, `*`, `^`, `-` and `:` are only ever text. BM25 then ranks documents matching more
 * (and rarer) words first. `undefined` when the query has no words (only punctuation, say).
 */
export function buildFtsQuery(query: string): string | undefined {
  const terms = new Set<string>();
  for (const [word] of query.normalize('NFKC').matchAll(WORD)) {
    terms.add(word.toLowerCase());
    if (terms.size === MAX_QUERY_TERMS) break;
  }
  if (terms.size === 0) return undefined;
  // A word holds no double quote (the pattern forbids it), so wrapping it in quotes is always safe.
  return [...terms].map((term) => `"${term}"`).join(' OR ');
}
