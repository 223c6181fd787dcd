import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeIssues, serializeValue, truncateOutput } from './tool-output.js';

describe('serializeValue', () => {
  it('keeps strings, writes undefined as nothing and the rest as compact JSON', () => {
    expect(serializeValue('plain text')).toBe('plain text');
    expect(serializeValue(undefined)).toBe('');
    expect(serializeValue(null)).toBe('null');
    expect(serializeValue(42)).toBe('42');
    expect(serializeValue({ a: [1, { b: true }] })).toBe('{"a":[1,{"b":true}]}');
  });

  it('throws for what JSON cannot hold', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => serializeValue(circular)).toThrow();
    expect(() => serializeValue(10n)).toThrow();
  });
});

describe('truncateOutput', () => {
  it('leaves text at or under the limit alone', () => {
    expect(truncateOutput('x'.repeat(200), 200)).toBe('x'.repeat(200));
  });

  it('cuts to the limit, note included, and says how much was left out', () => {
    const cut = truncateOutput('x'.repeat(50_000), 1_000);
    expect(cut.length).toBeLessThanOrEqual(1_000);
    expect(cut).toMatch(/^x+\n\[output cut: showing the first 9\d\d of 50,000 characters\]$/);
    const shown = Number(/first (\d+)/.exec(cut)?.[1]);
    expect(cut.startsWith('x'.repeat(shown))).toBe(true);
  });

  it('never splits a surrogate pair', () => {
    const text = '😀'.repeat(1_000);
    for (let max = 100; max < 110; max++) {
      const cut = truncateOutput(text, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(cut).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    }
  });
});

describe('describeIssues', () => {
  it('lists each issue with its path in one line', () => {
    const schema = z.object({
      city: z.string(),
      days: z.number().max(7),
      items: z.array(z.object({ id: z.number() })),
    });
    const result = schema.safeParse({ city: 3, days: 9, items: [{ id: 'a' }] });
    expect(describeIssues(result.error?.issues ?? [])).toBe(
      'city: Invalid input: expected string, received number; days: Too big: expected number to be <=7; ' +
        'items[0].id: Invalid input: expected number, received string',
    );
  });

  it('names the arguments as a whole when the path is empty, and counts issues past five', () => {
    const root = z
      .object({})
      .refine(() => false, 'Give a city or a postcode')
      .safeParse({});
    expect(describeIssues(root.error?.issues ?? [])).toBe('(arguments): Give a city or a postcode');
    const many = z
      .object(Object.fromEntries('abcdefg'.split('').map((key) => [key, z.string()])))
      .safeParse({});
    expect(describeIssues(many.error?.issues ?? [])).toMatch(/^a: .*; e: [^;]*; and 2 more$/);
  });
});
