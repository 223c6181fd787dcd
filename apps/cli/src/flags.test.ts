import { describe, expect, it } from 'vitest';
import { UsageError } from './cli-error.js';
import { choiceFlag, integerFlag, numberFlag, parseFlags, wantsHelp } from './flags.js';

describe('flags', () => {
  it('parseFlags is strict: unknown flags and stray arguments are usage errors', () => {
    const options = { json: { type: 'boolean' }, turns: { type: 'string' } } as const;
    expect(parseFlags(['--json', '--turns', '2'], options, false).values).toEqual({ json: true, turns: '2' });
    expect(() => parseFlags(['--jsn'], options, false)).toThrow(new UsageError("Unknown option '--jsn'"));
    expect(() => parseFlags(['x'], options, false)).toThrow(UsageError);
    expect(parseFlags(['a', 'b'], options, true).positionals).toEqual(['a', 'b']);
  });

  it('wantsHelp looks before `--` only', () => {
    expect(wantsHelp(['chat', '-h'])).toBe(true);
    expect(wantsHelp(['--', '--help'])).toBe(false);
  });

  it('integer, number and choice flags name the flag and the bad value', () => {
    expect(integerFlag('--turns', undefined, 3, 1, 50)).toBe(3);
    expect(integerFlag('--turns', '50', 3, 1, 50)).toBe(50);
    expect(() => integerFlag('--turns', '51', 3, 1, 50)).toThrow(
      '--turns expects an integer from 1 to 50, got "51"',
    );
    expect(() => integerFlag('--turns', '1.5', 3, 1, 50)).toThrow(UsageError);
    expect(numberFlag('--temperature', '0.7', 0, 0, 2)).toBe(0.7);
    expect(() => numberFlag('--temperature', ' ', 0, 0, 2)).toThrow('--temperature expects a number');
    expect(choiceFlag('--profile', 'gpu', 'seed', ['seed', 'gpu'])).toBe('gpu');
    expect(() => choiceFlag('--profile', 'tpu', 'seed', ['seed', 'gpu'])).toThrow(
      '--profile expects one of seed, gpu, got "tpu"',
    );
  });
});
