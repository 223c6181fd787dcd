import { describe, expect, it } from 'vitest';
import { ReadyQueue } from './ready-queue.js';

describe('ReadyQueue', () => {
  it('hands items to waiting pullers in order and ends after close', async () => {
    const queue = new ReadyQueue<number>();
    const iterator = queue[Symbol.asyncIterator]();
    const first = iterator.next();
    const second = iterator.next();
    queue.push(1);
    queue.push(2);
    queue.push(3);
    expect(queue.size).toBe(1);
    queue.close();
    expect(await first).toEqual({ done: false, value: 1 });
    expect(await second).toEqual({ done: false, value: 2 });
    expect(await iterator.next()).toEqual({ done: false, value: 3 });
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it('drains what was not pulled, and refuses a push after close', async () => {
    const queue = new ReadyQueue<string>();
    queue.push('a');
    queue.push('b');
    expect(queue.drain()).toEqual(['a', 'b']);
    expect(queue.size).toBe(0);
    queue.close();
    expect(() => queue.push('c')).toThrow(/after close/);
    expect(await queue[Symbol.asyncIterator]().next()).toEqual({ done: true, value: undefined });
  });

  it('wakes a waiting puller with done on close', async () => {
    const queue = new ReadyQueue<number>();
    const pending = queue[Symbol.asyncIterator]().next();
    queue.close();
    expect(await pending).toEqual({ done: true, value: undefined });
  });
});
