import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { Interrupts } from './interrupts.js';

function setup() {
  const notices: string[] = [];
  const exits: number[] = [];
  const interrupts = new Interrupts({
    notice: (line) => notices.push(line),
    exit: (code) => exits.push(code),
  });
  return { interrupts, notices, exits };
}

describe('Interrupts', () => {
  it('the first Ctrl-C aborts the running operation, the second exits with 130', () => {
    const { interrupts, notices, exits } = setup();
    const signal = interrupts.begin();
    interrupts.press();
    expect(signal.aborted).toBe(true);
    expect(interrupts.interrupted).toBe(true);
    expect(notices).toEqual(['Cancelled. Press Ctrl-C again to exit.']);
    expect(exits).toEqual([]);
    interrupts.press();
    expect(exits).toEqual([130]);
  });

  it('a new operation starts the count again; with nothing running, a press only warns', () => {
    const { interrupts, notices, exits } = setup();
    interrupts.begin();
    interrupts.press();
    interrupts.end();
    const next = interrupts.begin();
    interrupts.end();
    interrupts.press();
    expect(next.aborted).toBe(false);
    expect(notices.at(-1)).toBe('Press Ctrl-C again to exit (or Ctrl-D).');
    expect(exits).toEqual([]);
  });

  it('listens to SIGINT and SIGTERM (143) until told to stop', () => {
    const { interrupts, exits } = setup();
    const target = new EventEmitter() as unknown as NodeJS.Process;
    const stop = interrupts.listen(target);
    const signal = interrupts.begin();
    target.emit('SIGINT');
    expect(signal.aborted).toBe(true);
    target.emit('SIGTERM');
    expect(exits).toEqual([143]);
    stop();
    expect((target as unknown as EventEmitter).listenerCount('SIGINT')).toBe(0);
  });
});
