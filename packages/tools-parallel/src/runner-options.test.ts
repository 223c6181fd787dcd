import { describe, expect, it } from 'vitest';
import { resolveOptions } from './runner-options.js';

describe('resolveOptions', () => {
  it('fills in the defaults', () => {
    expect(resolveOptions()).toEqual({
      concurrency: 8,
      timeoutMs: 30_000,
      signal: undefined,
      onStart: undefined,
      onResult: undefined,
      maxOutputChars: 8_000,
      maxCalls: 128,
    });
    expect(
      resolveOptions({ concurrency: Number.POSITIVE_INFINITY, timeoutMs: Number.POSITIVE_INFINITY }),
    ).toMatchObject({ concurrency: Number.POSITIVE_INFINITY, timeoutMs: Number.POSITIVE_INFINITY });
  });

  it.each([
    [
      { concurrency: 0 },
      'Expected `concurrency` to be an integer from 1 and up or `Infinity`, got `0` (number)',
    ],
    [{ concurrency: 1.5 }, '`concurrency`'],
    [{ timeoutMs: -1 }, 'Expected `timeoutMs` to be milliseconds above 0'],
    [{ timeoutMs: '5s' }, '`"5s"` (string)'],
    [{ maxOutputChars: 99 }, 'Expected `maxOutputChars` to be an integer from 100 and up'],
    [{ maxCalls: 0 }, '`maxCalls`'],
    [{ signal: {} }, 'Expected `signal` to be an AbortSignal'],
    [{ onStart: 1 }, 'Expected `onStart` to be a function'],
    [{ onResult: 'x' }, 'Expected `onResult` to be a function'],
    [
      { parallel: 4 },
      'Unknown option `parallel` in the run options: expected one of concurrency, timeoutMs, signal, onStart, onResult, maxOutputChars, maxCalls',
    ],
  ])('throws a TypeError naming the option for %o', (options, message) => {
    expect(() => resolveOptions(options as never)).toThrow(TypeError);
    expect(() => resolveOptions(options as never)).toThrow(message);
  });

  it('throws a TypeError for options that are not an object', () => {
    expect(() => resolveOptions(null as never)).toThrow('Expected `options` to be an object');
  });
});
