import { describe, expect, it } from 'vitest';
import { ArithmeticError, evaluateArithmetic } from './arithmetic.js';

describe('evaluateArithmetic', () => {
  it.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['12 * (3 + 4)', 84],
    ['-2 ^ 2', -4],
    ['2 ^ 3 ^ 2', 512],
    ['2 ** 10', 1024],
    ['10 % 4', 2],
    ['7 / 2', 3.5],
    ['1.5e3 + .5', 1500.5],
    ['sqrt(16) + abs(-3)', 7],
    ['max(1, 9, 4) - min(3, 2)', 7],
    ['round(pi * 100) / 100', 3.14],
    ['6 × 7 ÷ 2', 21],
    ['--3', 3],
  ])('%s = %d', (expression, expected) => {
    expect(evaluateArithmetic(expression)).toBeCloseTo(expected, 10);
  });

  it.each([
    ['1 +', /expected a number but found the end/],
    ['2 * (3 + 4', /expected "\)"/],
    ['1 / 0', /division by zero at position 3/],
    ['foo(2)', /unknown name "foo" at position 1/],
    ['2 $ 3', /unexpected character "\$" at position 3/],
    ['sqrt(1, 2)', /sqrt takes 1 argument/],
    ['process(1)', /unknown name "process"/],
    ['process.exit(1)', /unexpected character "." at position 8/],
    ['1 2', /unexpected "2" at position 3/],
    ['10 ^ 400', /not a finite number/],
  ])('rejects %s', (expression, message) => {
    expect(() => evaluateArithmetic(expression)).toThrow(message);
    expect(() => evaluateArithmetic(expression)).toThrow(ArithmeticError);
  });

  it('bounds length and nesting', () => {
    expect(() => evaluateArithmetic(`${'1+'.repeat(600)}1`)).toThrow(/longer than/);
    expect(() => evaluateArithmetic(`${'('.repeat(100)}1${')'.repeat(100)}`)).toThrow(/nested too deeply/);
    expect(() => evaluateArithmetic(`${'-'.repeat(100)}1`)).toThrow(/nested too deeply/);
  });
});
