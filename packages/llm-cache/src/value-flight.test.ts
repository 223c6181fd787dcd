import { describe, expect, it } from 'vitest';
import { ValueFlight } from './value-flight.js';

describe('ValueFlight.join', () => {
  it('rejects a signal aborted before joining, and aborts a computation nobody else waits for', async () => {
    let upstream: AbortSignal | undefined;
    let abandoned = 0;
    const flight = new ValueFlight(
      (signal) => {
        upstream = signal;
        return new Promise<number>(() => {});
      },
      true,
      () => abandoned++,
    );
    await expect(flight.join(AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
    expect(upstream?.aborted).toBe(true);
    expect(abandoned).toBe(1);
    expect(flight.store).toBe(false);
  });

  it('keeps the computation for the other participants', async () => {
    let upstream: AbortSignal | undefined;
    let finish: (value: number) => void = () => {};
    const flight = new ValueFlight(
      (signal) => {
        upstream = signal;
        return new Promise<number>((resolve) => {
          finish = resolve;
        });
      },
      true,
      () => {},
    );
    const staying = flight.join(undefined);
    await expect(flight.join(AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
    expect(upstream?.aborted).toBe(false);
    finish(42);
    expect(await staying).toBe(42);
  });
});
