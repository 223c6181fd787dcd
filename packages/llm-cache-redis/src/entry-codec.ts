import { gunzipSync, gzipSync } from 'node:zlib';
import { type CacheEntry, isCacheEntry } from '@lunar/llm-cache';
import { deepFreeze } from './deep-freeze.js';
import { LLMCacheRedisError } from './errors.js';

/** Largest value a compressed entry may inflate to: a guard against a corrupt or hostile value. */
const MAX_INFLATED_BYTES = 64 * 1024 * 1024;

/**
 * An entry as stored in Redis: its JSON, gzipped (level 1) when longer than `compressAboveBytes`.
 * A streamed answer repeats the same fields in every chunk, so gzip shrinks it about 12x for
 * some 10 us more per read (see the benchmark); a short whole response stays plain JSON.
 */
export function encodeEntry(entry: CacheEntry, compressAboveBytes: number): string | Buffer {
  const json = JSON.stringify(entry);
  // A string's UTF-16 length is at most its UTF-8 length, so this never compresses too little.
  if (json.length <= compressAboveBytes && Buffer.byteLength(json) <= compressAboveBytes) return json;
  return gzipSync(json, { level: 1 });
}

/**
 * What tells one stored answer from another without comparing chunks: when it was stored, how long
 * upstream took (sub-millisecond) and its size. Sent with a `set` event, so a replica can tell
 * whether what it read (or holds) is the answer just written.
 */
export function entryFingerprint(entry: CacheEntry): string {
  return `${entry.createdAt}:${entry.durationMs}:${entry.size}`;
}

/**
 * Reads an entry back: gzip is recognised by its magic bytes, anything else is JSON. Throws an
 * `LLM_CACHE_REDIS_INVALID_VALUE` error when the value is not an entry. The entry is frozen, as
 * the cache hands out frozen chunks.
 */
export function decodeEntry(value: Buffer): CacheEntry {
  let parsed: unknown;
  try {
    const json = isGzip(value) ? gunzipSync(value, { maxOutputLength: MAX_INFLATED_BYTES }) : value;
    parsed = JSON.parse(json.toString('utf8'));
  } catch (error) {
    throw new LLMCacheRedisError(
      'LLM_CACHE_REDIS_INVALID_VALUE',
      'the value is neither JSON nor gzipped JSON',
      {
        cause: error,
      },
    );
  }
  if (!isCacheEntry(parsed)) {
    throw new LLMCacheRedisError('LLM_CACHE_REDIS_INVALID_VALUE', 'the value is not a cache entry');
  }
  return deepFreeze(parsed);
}

function isGzip(value: Buffer): boolean {
  return value.length >= 2 && value[0] === 0x1f && value[1] === 0x8b;
}
