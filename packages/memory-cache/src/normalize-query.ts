const WHITESPACE_RUN = /\s+/g;

/**
 * The default query normaliser: Unicode NFKC (full-width letters, ligatures and the like fold to their plain
 * forms), lower case, trimmed, every run of inner whitespace collapsed to one space.
 */
export function normalizeQuery(query: string): string {
  return query.normalize('NFKC').toLowerCase().replace(WHITESPACE_RUN, ' ').trim();
}
