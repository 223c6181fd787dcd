import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { streamedEntry } from '../test/fixtures.js';
import { decodeEntry, encodeEntry } from './entry-codec.js';
import { LLMCacheRedisError } from './errors.js';

describe('entry codec', () => {
  it('keeps a short entry as plain JSON and gzips a long one', () => {
    const short = streamedEntry('short', 1);
    const plain = encodeEntry(short, 1024);
    expect(typeof plain).toBe('string');
    expect(decodeEntry(Buffer.from(plain))).toEqual(short);

    const long = streamedEntry('a longer streamed answer', 60);
    const packed = encodeEntry(long, 1024);
    expect(Buffer.isBuffer(packed)).toBe(true);
    expect(packed.length).toBeLessThan(JSON.stringify(long).length / 4);
    expect(decodeEntry(packed as Buffer)).toEqual(long);
  });

  it('compresses always at 0 and never at Infinity', () => {
    const entry = streamedEntry('x', 60);
    expect(Buffer.isBuffer(encodeEntry(entry, 0))).toBe(true);
    expect(typeof encodeEntry(entry, Number.POSITIVE_INFINITY)).toBe('string');
  });

  it('counts bytes, not characters, against the threshold', () => {
    const entry = streamedEntry('é'.repeat(300), 1); // 2 bytes each in UTF-8
    const length = JSON.stringify(entry).length;
    expect(Buffer.isBuffer(encodeEntry(entry, length))).toBe(true);
  });

  it('returns a frozen entry', () => {
    const decoded = decodeEntry(Buffer.from(JSON.stringify(streamedEntry('frozen'))));
    expect(Object.isFrozen(decoded)).toBe(true);
    expect(Object.isFrozen(decoded.chunks[0])).toBe(true);
  });

  it('rejects what is not an entry with LLM_CACHE_REDIS_INVALID_VALUE', () => {
    for (const value of [
      Buffer.from('not json'),
      Buffer.from(JSON.stringify({ version: 2 })),
      gzipSync('{"version":1}'),
      Buffer.from([0x1f, 0x8b, 0x00]),
    ]) {
      expect(() => decodeEntry(value)).toThrow(LLMCacheRedisError);
      try {
        decodeEntry(value);
      } catch (error) {
        expect((error as LLMCacheRedisError).code).toBe('LLM_CACHE_REDIS_INVALID_VALUE');
      }
    }
  });
});
