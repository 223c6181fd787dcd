import { describe, expect, it } from 'vitest';
import { ndjsonLines } from './json-http.js';

describe('ndjsonLines', () => {
  it('parses one value a line', () => {
    expect(ndjsonLines('{"a":1}\n[2]\n"three"\n')).toEqual([{ a: 1 }, [2], 'three']);
  });

  it('refuses a body cut short, saying how it ends', () => {
    expect(() => ndjsonLines('{"a":1}\n{"b":')).toThrow(
      /does not end with a newline: "\{\\"a\\":1\}\\n\{\\"b\\":"/,
    );
  });
});
