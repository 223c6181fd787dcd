import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { nextEvent, waitFor } from './wait-for.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('waitFor', () => {
  it('resolves at once when the condition already holds', async () => {
    let checks = 0;
    await waitFor(() => ++checks > 0);
    expect(checks).toBe(1);
  });

  it('checks again on each event it is given, and stops listening once true', async () => {
    const emitter = new EventEmitter();
    let count = 0;
    const waiting = waitFor(() => count >= 3, { events: [[emitter, 'change']] });
    expect(emitter.listenerCount('change')).toBe(1);
    for (let index = 0; index < 3; index++) {
      count++;
      emitter.emit('change');
    }
    await waiting;
    expect(emitter.listenerCount('change')).toBe(0);
  });

  it('polls when no event drives it, with an async condition too', async () => {
    let ready = false;
    setImmediate(() => {
      ready = true;
    });
    await waitFor(async () => ready);
    expect(ready).toBe(true);
  });

  it('fails with the message (or the condition) when the condition does not hold in time', async () => {
    await expect(waitFor(() => false, { timeoutMs: 30, message: 'the relay to be down' })).rejects.toThrow(
      'waitFor: not true within 30 ms: the relay to be down',
    );
    await expect(waitFor(() => 1 > 2, { timeoutMs: 30 })).rejects.toThrow('1 > 2');
  });

  it('passes on what the condition throws', async () => {
    await expect(
      waitFor(() => {
        throw new Error('the store is closed');
      }),
    ).rejects.toThrow('the store is closed');
  });

  it('keeps real time under fake timers', async () => {
    vi.useFakeTimers();
    let ready = false;
    const waiting = waitFor(() => ready, { timeoutMs: 1000 });
    ready = true;
    await expect(waiting).resolves.toBeUndefined();
    await expect(waitFor(() => false, { timeoutMs: 20 })).rejects.toThrow('not true within 20 ms');
  });
});

describe('nextEvent', () => {
  it('resolves with the arguments of the next event', async () => {
    const emitter = new EventEmitter();
    const next = nextEvent(emitter, 'data');
    emitter.emit('data', 1, 'two');
    expect(await next).toEqual([1, 'two']);
    expect(emitter.listenerCount('data') + emitter.listenerCount('error')).toBe(0);
  });

  it('rejects with the emitter error, or after the timeout naming the event', async () => {
    const emitter = new EventEmitter();
    const failed = nextEvent(emitter, 'data');
    emitter.emit('error', new Error('socket closed'));
    await expect(failed).rejects.toThrow('socket closed');
    await expect(nextEvent(emitter, 'data', { timeoutMs: 20 })).rejects.toThrow(
      "nextEvent: no 'data' event within 20 ms",
    );
    expect(emitter.listenerCount('data') + emitter.listenerCount('error')).toBe(0);
  });
});
