import { describe, expect, it } from 'vitest';
import { median, percentile, summarise } from './statistics.js';

describe('median', () => {
  it('is the middle value, or the mean of the two middle ones, whatever the order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(Number.isNaN(median([]))).toBe(true);
  });
});

describe('percentile', () => {
  it('takes the nearest rank of the sorted values', () => {
    const values = Array.from({ length: 100 }, (_, index) => 100 - index); // 100 .. 1
    expect(percentile(values, 0.5)).toBe(51);
    expect(percentile(values, 0.99)).toBe(100);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile(values, 1)).toBe(100);
  });

  it('rejects a fraction outside 0..1 (a p99 written as 99)', () => {
    expect(() => percentile([1], 99)).toThrow(new TypeError('Expected `fraction` to be from 0 to 1, got 99'));
  });
});

describe('summarise', () => {
  it('gives count, p50, p99, mean, min and max', () => {
    expect(summarise([3, 1, 2, 10])).toEqual({ samples: 4, p50: 2.5, p99: 10, mean: 4, min: 1, max: 10 });
  });
});
