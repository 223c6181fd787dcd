import { describe, expect, it } from 'vitest';
import { jsonLimitPassed } from './json-limits.js';

describe('jsonLimitPassed', () => {
  const limits = { maxDepth: 3, maxContainers: 5 };

  it('counts nesting and containers, not brackets inside strings', () => {
    expect(jsonLimitPassed('{"a":[{"b":1}]}', limits)).toBeUndefined();
    expect(jsonLimitPassed('[[[[]]]]', limits)).toBe('nested more than 3 levels deep');
    expect(jsonLimitPassed('[{},{},{},{},{}]', limits)).toBe('made of more than 5 objects and arrays');
    expect(jsonLimitPassed('[{},{},{},{}]', limits)).toBeUndefined();
    expect(jsonLimitPassed('{"a":"[[[[{{{{", "b":"\\"{{{{[[[["}', limits)).toBeUndefined();
    expect(jsonLimitPassed('"\\\\" [[[[', limits)).toBe('nested more than 3 levels deep');
    expect(jsonLimitPassed('1')).toBeUndefined();
  });

  it('takes 64 levels and 2,000 containers by default', () => {
    expect(jsonLimitPassed(`${'['.repeat(64)}${']'.repeat(64)}`)).toBeUndefined();
    expect(jsonLimitPassed(`${'['.repeat(65)}${']'.repeat(65)}`)).toBe('nested more than 64 levels deep');
    expect(jsonLimitPassed(`[${Array(1_999).fill('{}').join(',')}]`)).toBeUndefined();
    expect(jsonLimitPassed(`[${Array(2_000).fill('{}').join(',')}]`)).toBe(
      'made of more than 2000 objects and arrays',
    );
  });
});
