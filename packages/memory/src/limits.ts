/** Largest memory or query text, in UTF-8 bytes. */
export const MAX_TEXT_BYTES = 32 * 1024;
/** Largest metadata object, as JSON, in UTF-8 bytes. */
export const MAX_METADATA_BYTES = 8 * 1024;
/** Deepest nesting accepted in metadata. */
export const MAX_METADATA_DEPTH = 16;
/** Longest scope name, in UTF-8 bytes. */
export const MAX_SCOPE_BYTES = 256;
/** Largest `k` a search accepts. */
export const MAX_K = 100;
/** Largest `limit` `list` accepts. */
export const MAX_LIST_LIMIT = 1000;
/** Most memories one `addMany` call accepts (one embedder call, one transaction). */
export const MAX_BATCH = 1000;
/** Longest vector accepted (sqlite-vec's own bound is 8192 for float vectors). */
export const MAX_DIMENSIONS = 8192;
/** Most distinct query words sent to FTS5; the rest are ignored. */
export const MAX_QUERY_TERMS = 32;
/** Reciprocal rank fusion constant (Cormack et al., 2009): dampens the weight of the very top ranks. */
export const RRF_K = 60;

/** Candidates each ranking contributes to the fusion: enough that a result strong in only one survives. */
export function candidateLimit(k: number): number {
  return Math.max(k * 4, 20);
}
