import { describe, expect, it } from 'vitest';
import { formatMemoryId, parseMemoryId } from './memory-id.js';

describe('memory ids', () => {
  it('round-trip the rowid', () => {
    expect(formatMemoryId(42)).toBe('mem_42');
    expect(parseMemoryId('mem_42')).toBe(42);
    expect(parseMemoryId(formatMemoryId(9_007_199_254_740_991))).toBe(9_007_199_254_740_991);
  });

  it.each([
    ['abc'],
    ['mem_'],
    ['mem_0'],
    ['mem_01'],
    ['mem_-1'],
    ['mem_1.5'],
    ['MEM_1'],
    [' mem_1'],
    [42],
    [undefined],
  ])('rejects %j with MEMORY_INVALID_INPUT', (id) => {
    expect(() => parseMemoryId(id)).toThrow(expect.objectContaining({ code: 'MEMORY_INVALID_INPUT' }));
  });

  it('rejects a rowid past the safe integer range', () => {
    expect(() => parseMemoryId('mem_9999999999999999')).toThrow(/must look like "mem_42"/);
  });
});
