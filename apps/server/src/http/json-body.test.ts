import { describe, expect, it } from 'vitest';
import { nestedDeeperThan } from './json-body.js';

describe('nestedDeeperThan', () => {
  it('counts objects and arrays, not brackets inside strings', () => {
    expect(nestedDeeperThan('{"a":[{"b":1}]}', 3)).toBe(false);
    expect(nestedDeeperThan('{"a":[{"b":1}]}', 2)).toBe(true);
    expect(nestedDeeperThan('[[[]]]', 3)).toBe(false);
    expect(nestedDeeperThan('[[[[]]]]', 3)).toBe(true);
    expect(nestedDeeperThan('{"a":"[[[[[[", "b":"\\"{{{{"}', 1)).toBe(false);
    expect(nestedDeeperThan('"\\\\"', 0)).toBe(false);
    expect(nestedDeeperThan('"\\\\" [[', 1)).toBe(true);
    expect(nestedDeeperThan('1', 0)).toBe(false);
  });
});
