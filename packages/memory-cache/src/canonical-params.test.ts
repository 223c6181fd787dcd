import { describe, expect, it } from 'vitest';
import { canonicalParams } from './canonical-params.js';
import { searchKey } from './search-key.js';

describe('canonicalParams', () => {
  it('sorts object keys at every level', () => {
    const a = {
      k: 5,
      filters: { tags: ['work', 'home'], since: { year: 2024, month: 1 } },
      weights: { bm25: 0.4 },
    };
    const b = {
      weights: { bm25: 0.4 },
      filters: { since: { month: 1, year: 2024 }, tags: ['work', 'home'] },
      k: 5,
    };
    expect(canonicalParams(a)).toBe(canonicalParams(b));
    expect(canonicalParams(a)).toBe(
      '{"filters":{"since":{"month":1,"year":2024},"tags":["work","home"]},"k":5,"weights":{"bm25":0.4}}',
    );
  });

  it('keeps values apart: k 5 and k 10, array order, string and number', () => {
    expect(canonicalParams({ k: 5 })).not.toBe(canonicalParams({ k: 10 }));
    expect(canonicalParams({ tags: ['a', 'b'] })).not.toBe(canonicalParams({ tags: ['b', 'a'] }));
    expect(canonicalParams({ k: '5' })).not.toBe(canonicalParams({ k: 5 }));
    expect(canonicalParams({ k: null })).not.toBe(canonicalParams({}));
  });

  it('treats an undefined field as absent and -0 as 0', () => {
    expect(canonicalParams({ k: 5, filter: undefined })).toBe(canonicalParams({ k: 5 }));
    expect(canonicalParams({ bias: -0 })).toBe(canonicalParams({ bias: 0 }));
  });

  it('writes bigint and Date distinctly', () => {
    expect(canonicalParams({ id: 5n })).not.toBe(canonicalParams({ id: 5 }));
    expect(canonicalParams({ since: new Date(0) })).toBe('{"since":Date(1970-01-01T00:00:00.000Z)}');
  });

  it('rejects what has no stable canonical form, naming where it sits', () => {
    expect(() => canonicalParams({ filters: { score: Number.NaN } })).toThrow(
      /Expected `params\.filters\.score` to be a finite number, got `NaN`/,
    );
    expect(() => canonicalParams({ where: () => true })).toThrow(TypeError);
    expect(() => canonicalParams({ tags: [new Map()] })).toThrow(/`params\.tags\[0\]` to be a plain object/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalParams(cyclic)).toThrow(/`params\.self` to be data without cycles/);
  });

  it('accepts the same object twice side by side (shared, not cyclic)', () => {
    const shared = { a: 1 };
    expect(canonicalParams({ x: shared, y: shared })).toBe('{"x":{"a":1},"y":{"a":1}}');
  });
});

describe('searchKey', () => {
  it('cannot be confused across its parts', () => {
    expect(searchKey('a', 'b c', undefined)).not.toBe(searchKey('a b', 'c', undefined));
    expect(searchKey('', '{"k":5}', undefined)).not.toBe(searchKey('', '', { k: 5 }));
    expect(searchKey('s', 'q', undefined)).not.toBe(searchKey('s', 'q', {}));
  });
});
