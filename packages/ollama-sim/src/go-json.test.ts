import { describe, expect, it } from 'vitest';
import { rfc3339Nano } from './clock.js';
import { formatGoFloat32, formatGoFloat64, goFloat32Array, goJson, goString } from './go-json.js';

describe('go-json', () => {
  it('escapes <, > and & like Go', () => {
    expect(goString('<b>Tom & Jerry</b>')).toBe('"\\u003cb\\u003eTom \\u0026 Jerry\\u003c/b\\u003e"');
    expect(goJson({ a: '\u2028' })).toBe('{"a":"\\u2028"}');
    expect(JSON.parse(goString('<&>'))).toBe('<&>');
  });

  it('writes float32 values in their shortest float32 form', () => {
    expect(formatGoFloat32(0.1)).toBe('0.1');
    expect(formatGoFloat32(1 / 3)).toBe('0.33333334');
    expect(formatGoFloat32(-0.012345678901)).toBe('-0.012345679');
    expect(formatGoFloat32(0)).toBe('0');
    expect(formatGoFloat32(1.5e-7)).toBe('1.5e-07');
    expect(goFloat32Array([0.5, -0.25])).toBe('[0.5,-0.25]');
  });

  it('writes float64 exponents with two digits', () => {
    expect(formatGoFloat64(1e-7)).toBe('1e-07');
    expect(formatGoFloat64(0.000123)).toBe('0.000123');
    expect(formatGoFloat64(2.5e21)).toBe('2.5e+21');
  });

  it('formats RFC3339Nano without trailing zeros', () => {
    expect(rfc3339Nano(1_700_000_000_123_456_789n)).toBe('2023-11-14T22:13:20.123456789Z');
    expect(rfc3339Nano(1_700_000_000_120_000_000n)).toBe('2023-11-14T22:13:20.12Z');
    expect(rfc3339Nano(1_700_000_000_000_000_000n)).toBe('2023-11-14T22:13:20Z');
  });
});
