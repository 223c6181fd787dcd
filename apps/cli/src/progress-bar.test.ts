import { describe, expect, it } from 'vitest';
import { ProgressBar } from './progress-bar.js';

function stream(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, written, write: (text: string) => written.push(text) };
}

describe('ProgressBar', () => {
  it('redraws one line in place, then clears it', () => {
    const output = stream(true);
    const bar = new ProgressBar(output, 10);
    bar.start('starting');
    bar.update(1, 4, 'before');
    bar.update(4, 4, 'after');
    bar.clear();
    expect(output.written).toEqual([
      '\r[----------] starting',
      '\r[###-------] 1/4 turns  before',
      '\r[##########] 4/4 turns  after ',
      `\r${' '.repeat(30)}\r`,
    ]);
  });

  it('writes nothing when the stream is not a terminal', () => {
    const output = stream(false);
    const bar = new ProgressBar(output);
    bar.update(1, 2, 'before');
    bar.clear();
    expect(output.written).toEqual([]);
  });
});
