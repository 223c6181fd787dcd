import { describe, expect, it } from 'vitest';
import { ChunkQueue } from './chunk-queue.js';

describe('ChunkQueue', () => {
  it('reports full at the high-water mark and drained at the low-water mark, in order', () => {
    const events: string[] = [];
    const queue = new ChunkQueue<number>(
      4,
      1,
      () => events.push(`full at ${queue.length}`),
      () => events.push(`drained at ${queue.length}`),
    );
    for (let i = 0; i < 6; i++) queue.push(i);
    expect(events).toEqual(['full at 4']);
    expect(queue.full).toBe(true);
    const taken = [queue.shift(), queue.shift(), queue.shift(), queue.shift()];
    expect(taken).toEqual([0, 1, 2, 3]);
    expect(events).toEqual(['full at 4']);
    queue.shift();
    expect(events).toEqual(['full at 4', 'drained at 1']);
    expect(queue.shift()).toBe(5);
    expect(queue.length).toBe(0);
  });

  it('reports drained when cleared while full', () => {
    let drained = 0;
    const queue = new ChunkQueue<number>(
      2,
      0,
      () => {},
      () => drained++,
    );
    queue.push(1);
    queue.push(2);
    queue.clear();
    expect(drained).toBe(1);
    expect(queue.length).toBe(0);
    queue.clear();
    expect(drained).toBe(1);
  });
});
