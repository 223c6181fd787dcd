import { describe, expect, it } from 'vitest';
import type { HostRecord } from './host-pool.js';
import { formatMs, type TimeoutCase, timeoutError } from './timeout-error.js';

/** A host record whose pool reports these connection counts. */
function hostWith(connected: number, free: number): HostRecord {
  return { url: 'http://h:1', pool: { stats: { connected, free } } } as unknown as HostRecord;
}

const base: TimeoutCase = {
  deadline: 'headersMs',
  timeoutMs: 300_000,
  host: 'http://h:1',
  sent: true,
  record: undefined,
  connections: 16,
};

describe('timeoutError', () => {
  it('formats durations for people', () => {
    expect([formatMs(250), formatMs(1000), formatMs(1500), formatMs(300_000)]).toEqual([
      '250 ms',
      '1 s',
      '1.5 s',
      '300 s',
    ]);
  });

  it('headersMs, sent: Ollama did not start answering; raise the option or check the model loads', () => {
    const error = timeoutError(base);
    expect(error).toMatchObject({ code: 'OLLAMA_TIMEOUT', deadline: 'headersMs', timeoutMs: 300_000 });
    expect(error.host).toBe('http://h:1');
    expect(error.message).toBe(
      'Ollama at http://h:1 did not start answering within 300 s. A model load or a long prompt can take ' +
        'that long on a CPU: raise `timeouts.headersMs`, or check that the model loads',
    );
  });

  it('headersMs, never sent with every connection busy: says so and names `connections`', () => {
    const error = timeoutError({ ...base, timeoutMs: 200, sent: false, record: hostWith(16, 0) });
    expect(error.message).toBe(
      'The call waited 200 ms for a connection to Ollama at http://h:1 and got none: all 16 were busy ' +
        'with other calls. Raise `connections` if Ollama can take more calls at once, or `timeouts.headersMs`',
    );
  });

  it('headersMs, never out of the balanced pool of several hosts: every host was busy', () => {
    const error = timeoutError({ ...base, host: 'http://a:1, http://b:1', sent: false, record: undefined });
    expect(error.message).toContain(
      'for a connection to Ollama at http://a:1, http://b:1 and got none: all 16 per host were busy',
    );
  });

  it('headersMs, never sent while a connection was still being made: cannot connect', () => {
    const error = timeoutError({ ...base, timeoutMs: 5000, sent: false, record: hostWith(3, 0) });
    expect(error.message).toBe(
      'Could not connect to Ollama at http://h:1 within 5 s; check that it is running and reachable',
    );
  });

  it('idleMs and totalMs name their option', () => {
    const idle = timeoutError({ ...base, deadline: 'idleMs', timeoutMs: 120_000 });
    expect(idle.message).toContain('Ollama at http://h:1 sent nothing for 120 s in the middle of its answer');
    expect(idle.message).toContain('Raise `timeouts.idleMs`');
    const total = timeoutError({ ...base, deadline: 'totalMs', timeoutMs: 60_000 });
    expect(total.message).toBe(
      'The call to Ollama at http://h:1 did not end within 60 s; raise `timeouts.totalMs`',
    );
  });

  it('never carries a library code', () => {
    for (const deadline of ['headersMs', 'idleMs', 'totalMs'] as const) {
      expect(timeoutError({ ...base, deadline }).message).not.toMatch(/UND_ERR|[A-Z]{2,}_[A-Z]{2,}/);
    }
  });
});
