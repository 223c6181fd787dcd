import { describe, expect, it } from 'vitest';
import { StateBoard } from './state-board.js';

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('StateBoard.whenReady', () => {
  it('resolves false for every pending wait once closed, and at once afterwards', async () => {
    const board = new StateBoard(undefined, 'test');
    const results: boolean[] = [];
    const waits = [board.whenReady({ timeoutMs: 60_000 }), board.whenReady({ timeoutMs: 60_000 })];
    for (const wait of waits) wait.then((ready) => results.push(ready));
    board.close();
    await settle();
    expect(results).toEqual([false, false]);
    expect(await board.whenReady({ timeoutMs: 60_000 })).toBe(false);
  });

  it('resolves true on ready, and a close afterwards changes nothing', async () => {
    const board = new StateBoard(undefined, 'test');
    const wait = board.whenReady({ timeoutMs: 60_000 });
    board.set('ready', '');
    expect(await wait).toBe(true);
    board.close();
    expect(board.state).toBe('down');
  });

  it('rejects an unknown option, naming it', () => {
    const board = new StateBoard(undefined, 'test');
    expect(() => board.whenReady({ timeout: 5 } as never)).toThrow(
      new TypeError('Unknown option `timeout`: expected one of timeoutMs, signal'),
    );
  });
});
