import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { TurnSignals } from './turn-signals.js';

describe('TurnSignals', () => {
  it("the caller's abort reaches the turn and every branch, with its reason", () => {
    const caller = new AbortController();
    const signals = new TurnSignals(caller.signal);
    const branch = signals.branch();
    caller.abort(new Error('Ctrl-C'));
    expect(signals.signal.reason).toEqual(new Error('Ctrl-C'));
    expect(branch.signal.reason).toEqual(new Error('Ctrl-C'));
  });

  it('a branch aborts alone; end() aborts the rest and unlinks every listener', () => {
    const caller = new AbortController();
    const signals = new TurnSignals(caller.signal);
    const dropped = signals.branch();
    const kept = signals.branch();
    dropped.abort('rewritten');
    expect(signals.signal.aborted).toBe(false);
    expect(kept.signal.aborted).toBe(false);
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(1);
    expect(getEventListeners(signals.signal, 'abort')).toHaveLength(2);
    signals.end('the turn ended');
    expect(kept.signal.reason).toBe('the turn ended');
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
    expect(getEventListeners(signals.signal, 'abort')).toHaveLength(0);
    expect(caller.signal.aborted).toBe(false);
  });

  it('follows a signal that aborted before the turn began', () => {
    const signals = new TurnSignals(AbortSignal.abort('early'));
    expect(signals.signal.reason).toBe('early');
    expect(signals.branch().signal.reason).toBe('early');
  });
});
