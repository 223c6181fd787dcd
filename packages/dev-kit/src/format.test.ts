import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatRatio, formatSpeedup, table } from './format.js';

describe('formatDuration', () => {
  it('picks the unit from the size', () => {
    expect(formatDuration(2400)).toBe('2.40 s');
    expect(formatDuration(53.72)).toBe('53.7 ms');
    expect(formatDuration(1.254)).toBe('1.25 ms');
    expect(formatDuration(0.12345)).toBe('123.5 us');
    expect(formatDuration(0.00324)).toBe('3.24 us');
    expect(formatDuration(Number.NaN)).toBe('-');
  });
});

describe('formatSpeedup', () => {
  it('prints a ratio when both times are above the ~1 ms noise', () => {
    expect(formatSpeedup(500, 100)).toBe('5.00x faster');
    expect(formatSpeedup(100, 125)).toBe('1.25x slower');
    expect(formatSpeedup(5000, 2)).toBe('2,500x faster');
  });

  it('prints the absolute difference when a side is inside the noise', () => {
    expect(formatSpeedup(53.7, 0.00324)).toBe('53.7 ms less');
    expect(formatSpeedup(0.02, 0.2)).toBe('180.0 us more');
  });

  it('takes another noise floor', () => {
    expect(formatSpeedup(0.2, 0.02, { noiseMs: 0.001 })).toBe('10.0x faster');
  });

  it('prints a dash for what cannot be compared', () => {
    expect(formatSpeedup(0, 1)).toBe('-');
    expect(formatSpeedup(1, Number.NaN)).toBe('-');
  });
});

describe('formatRatio and formatBytes', () => {
  it('round by size', () => {
    expect(formatRatio(2.345)).toBe('2.35x');
    expect(formatRatio(12.44)).toBe('12.4x');
    expect(formatRatio(1250.4)).toBe('1,250x');
    expect(formatBytes(512 * 1024)).toBe('512.0 KiB');
    expect(formatBytes(8 * 1024 * 1024)).toBe('8.0 MiB');
  });
});

describe('table', () => {
  it('aligns the first column left and the others right, as Markdown', () => {
    expect(
      table(
        ['case', 'p50'],
        [
          ['hit', '3.24 us'],
          ['a long miss', '53.7 ms'],
        ],
      ),
    ).toBe(
      [
        '| case        |     p50 |',
        '| ----------- | ------: |',
        '| hit         | 3.24 us |',
        '| a long miss | 53.7 ms |',
      ].join('\n'),
    );
  });
});
