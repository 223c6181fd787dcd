import { describe, expect, it } from 'vitest';
import { InFlight } from './in-flight.js';

describe('InFlight', () => {
  it('tracks requests, resolves idle() when the last leaves, and aborts them all', async () => {
    const inFlight = new InFlight();
    await inFlight.idle();
    const client = new AbortController();
    const first = inFlight.enter(client.signal);
    const second = inFlight.enter(new AbortController().signal);
    expect(inFlight.size).toBe(2);
    client.abort(new Error('gone'));
    expect(first.signal.aborted).toBe(true);
    expect(second.signal.aborted).toBe(false);
    let idle = false;
    const waiting = inFlight.idle().then(() => {
      idle = true;
    });
    inFlight.leave(first);
    await Promise.resolve();
    expect(idle).toBe(false);
    inFlight.abortAll(new Error('shutdown'));
    expect(second.signal.reason).toEqual(new Error('shutdown'));
    inFlight.leave(second);
    await waiting;
    expect(inFlight.size).toBe(0);
  });

  it('aborts at once when the client has already gone', () => {
    const gone = AbortSignal.abort(new Error('gone'));
    expect(new InFlight().enter(gone).signal.aborted).toBe(true);
  });
});
