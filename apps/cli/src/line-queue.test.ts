import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LineQueue } from './line-queue.js';

describe('LineQueue', () => {
  it('hands lines out one at a time, then undefined after the input ends', async () => {
    const input = new PassThrough();
    const queue = new LineQueue(createInterface({ input, terminal: false }));
    const first = queue.next();
    input.write('one\ntwo\n');
    input.end('three');
    expect(await first).toBe('one');
    expect(await queue.next()).toBe('two');
    expect(await queue.next()).toBe('three');
    expect(await queue.next()).toBeUndefined();
  });

  it('pauses the input while too many lines wait, and resumes as they are taken', async () => {
    const input = new PassThrough();
    const readline = createInterface({ input, terminal: false });
    const queue = new LineQueue(readline);
    const lines = Array.from({ length: LineQueue.HIGH_WATER + 10 }, (_, index) => `line ${index}`);
    input.write(`${lines.join('\n')}\n`);
    await new Promise((resolve) => setImmediate(resolve));
    expect(queue.size).toBe(lines.length);
    expect(input.isPaused()).toBe(true);
    while (queue.size > LineQueue.LOW_WATER) await queue.next();
    expect(input.isPaused()).toBe(false);
    readline.close();
  });
});
