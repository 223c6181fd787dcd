import { waitFor } from '@lunar/dev-kit';
import type { OllamaSim } from '@lunar/ollama-sim';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { abortListeners, failure, fixtures, freePort, user } from './helpers.js';

const { sim, client, closeAll } = fixtures();

afterEach(closeAll);

const chat = { model: 'llama3.2:3b', messages: user('hello'), stream: false as const };
const versions = (server: OllamaSim) => server.stats().requests['/api/version'] ?? 0;

describe('probe(): every host, directly', () => {
  it('asks each host once for its version, in the order of `hosts`', async () => {
    const [first, second] = [await sim(0, { version: '0.33.1' }), await sim()];
    const lunar = client({ hosts: [first.url, second.url] });
    const results = await lunar.probe();
    const probedAt = expect.any(Number);
    expect(results).toEqual([
      { host: first.url, ok: true, version: '0.33.1', latencyMs: expect.any(Number), probedAt },
      { host: second.url, ok: true, version: '0.33.0', latencyMs: expect.any(Number), probedAt },
    ]);
    expect(results[0]!.latencyMs).toBeGreaterThan(0);
    expect([versions(first), versions(second)]).toEqual([1, 1]);
  });

  it('takes a closed host out of rotation and puts it back as soon as it answers again', async () => {
    const up = await sim();
    const going = await sim();
    const port = going.port;
    const lunar = client({ hosts: [up.url, going.url] });
    await going.close();

    const [alive, dead] = await lunar.probe({ timeoutMs: 5000 });
    expect(alive).toMatchObject({ host: up.url, ok: true });
    expect(dead).toMatchObject({ host: going.url, ok: false });
    expect(dead!.error?.code).toBe('OLLAMA_UNREACHABLE');
    expect(dead!.error?.message).toContain('the connection was refused');
    const stats = lunar.hosts()[1]!;
    expect(stats).toMatchObject({ down: true, requests: 1, failures: 1 });
    expect(stats.downUntil).toBeGreaterThan(Date.now());
    for (let i = 0; i < 5; i++) await lunar.chat(chat);
    expect(up.stats().requests['/api/chat']).toBe(5);
    expect(lunar.hosts()[1]!.requests).toBe(1);

    // A second probe while it is still down fails again and leaves it out.
    expect((await lunar.probe())[1]!.ok).toBe(false);
    expect(lunar.hosts()[1]!.down).toBe(true);

    const back = await sim(port);
    const again = await lunar.probe();
    expect(again.map((result) => result.ok)).toEqual([true, true]);
    expect(lunar.hosts()[1]).toMatchObject({ down: false, downUntil: undefined });
    // The probe went over the host's probe connection, kept for the next probe, not over the pool.
    expect(back.stats().connectionsOpen).toBe(1);
    expect(lunar.hosts()[1]!.connected).toBe(0);
    for (let i = 0; i < 10; i++) await lunar.chat(chat);
    expect(back.stats().requests['/api/chat']).toBeGreaterThan(0);
  });

  it('never throws for a host that does not answer in time or answers an error', async () => {
    const [slow, failing] = [await sim(), await sim()];
    slow.injectFault({ fault: { type: 'stall', ms: 10_000 }, route: '/api/version' });
    failing.injectFault({ fault: { type: 'status', status: 500, message: 'boom' }, route: '/api/version' });
    const lunar = client({ hosts: [slow.url, failing.url] });
    const [timedOut, answered] = await lunar.probe({ timeoutMs: 100 });
    expect(timedOut).toMatchObject({ ok: false });
    expect(timedOut!.error).toMatchObject({ code: 'OLLAMA_TIMEOUT', deadline: 'totalMs', timeoutMs: 100 });
    expect(timedOut!.error?.message).toBe(
      `Ollama at ${slow.url} did not answer a probe (GET /api/version) within 100 ms; raise the probe's \`timeoutMs\` if it is that slow`,
    );
    expect(timedOut!.latencyMs).toBeGreaterThanOrEqual(90);
    expect(answered!.error).toMatchObject({ code: 'OLLAMA_HTTP_ERROR', status: 500, ollamaMessage: 'boom' });
    // Neither refused a connection: both stay in rotation.
    expect(lunar.hosts().map((host) => host.down)).toEqual([false, false]);
  });

  it('a single host that is down is a result, not a rejection (and is never skipped)', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const lunar = client({ host: url });
    const [result] = await lunar.probe();
    expect(result).toMatchObject({ host: url, ok: false });
    expect(result!.error?.code).toBe('OLLAMA_UNREACHABLE');
    expect(lunar.hosts()[0]).toMatchObject({ down: false, failures: 1 });
  });

  it('rejects with OLLAMA_ABORTED when its signal aborts, and checks its options', async () => {
    const slow = await sim();
    slow.injectFault({ fault: { type: 'stall', ms: 10_000 }, route: '/api/version' });
    const lunar = client({ host: slow.url });
    const controller = new AbortController();
    const timers = slow.stats().timersPending ?? 0;
    const probing = lunar.probe({ signal: controller.signal });
    await waitFor(() => slow.stats().timersPending === timers + 1);
    controller.abort(new Error('shutting down'));
    const error = await failure(probing);
    expect(error.code).toBe('OLLAMA_ABORTED');
    expect((error.cause as Error).message).toBe('shutting down');
    // Nobody else waited on that probe: its request was aborted, so the simulator's stall ended with it.
    await waitFor(() => slow.stats().timersPending === timers);
    expect(() => lunar.probe({ timeoutMs: 0 })).toThrow(
      'Expected `timeoutMs` to be a positive integer, got 0',
    );
    expect(() => lunar.probe({ signal: 'x' as never })).toThrow('Expected `signal` to be an AbortSignal');
    expect(() => lunar.probe({ timeout: 500 } as never)).toThrow(
      new TypeError('Unknown option `timeout`; known: timeoutMs, maxAgeMs, signal'),
    );
    expect(() => lunar.probe({ maxAgeMs: -1 })).toThrow(
      'Expected `maxAgeMs` to be a non-negative integer, got -1',
    );
  });
});

describe('probe(): never behind traffic, cheap under a flood', () => {
  it('answers at once while stalled calls hold every connection of the pool', async () => {
    const ollama = await sim(0, { parallel: 2 });
    const lunar = client({ host: ollama.url, connections: 2 });
    const stall = { headers: { 'x-ollama-sim-fault': JSON.stringify({ type: 'stall', ms: 30_000 }) } };
    const stalled = [lunar.chat(chat, stall), lunar.chat(chat, stall)].map((call) => failure(call));
    await waitFor(() => lunar.hosts()[0]!.running === 2);
    expect(lunar.hosts()[0]).toMatchObject({ connected: 2, free: 0 });

    const [result] = await lunar.probe();
    expect(result).toMatchObject({ host: ollama.url, ok: true, version: '0.33.0' });
    expect(versions(ollama)).toBe(1);
    await lunar.close();
    for (const error of await Promise.all(stalled)) expect(error.code).toBe('OLLAMA_ABORTED');
  });

  it('with maxAgeMs, a flood of concurrent probes sends one request per host, and the next interval one more', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      const [first, second] = [await sim(), await sim()];
      const lunar = client({ hosts: [first.url, second.url] });
      const flood = await Promise.all(Array.from({ length: 50 }, () => lunar.probe({ maxAgeMs: 1000 })));
      expect(flood.every((results) => results.every((result) => result.ok))).toBe(true);
      expect(new Set(flood.map((results) => results[0])).size).toBe(1);
      expect([versions(first), versions(second)]).toEqual([1, 1]);

      vi.advanceTimersByTime(999);
      await lunar.probe({ maxAgeMs: 1000 });
      expect([versions(first), versions(second)]).toEqual([1, 1]);
      vi.advanceTimersByTime(1);
      await Promise.all([lunar.probe({ maxAgeMs: 1000 }), lunar.probe({ maxAgeMs: 1000 })]);
      expect([versions(first), versions(second)]).toEqual([2, 2]);
      // Without maxAgeMs, every call probes.
      await lunar.probe();
      expect([versions(first), versions(second)]).toEqual([3, 3]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a caller that leaves does not cut a probe others wait on', async () => {
    const ollama = await sim();
    ollama.injectFault({ fault: { type: 'stall', ms: 200 }, route: '/api/version' });
    const lunar = client({ host: ollama.url });
    const controller = new AbortController();
    const leaving = failure(lunar.probe({ maxAgeMs: 10_000, signal: controller.signal }));
    const staying = lunar.probe({ maxAgeMs: 10_000 });
    controller.abort();
    expect((await leaving).code).toBe('OLLAMA_ABORTED');
    const [result] = await staying;
    expect(result).toMatchObject({ ok: true, version: '0.33.0' });
    expect(versions(ollama)).toBe(1);
    // A caller that stays to the end leaves no listener on its signal.
    const kept = new AbortController();
    await lunar.probe({ signal: kept.signal });
    expect(abortListeners(kept.signal)).toBe(0);
  });
});

describe('hosts(): per-host state for metrics', () => {
  it('reports connections, running and queued requests', async () => {
    const ollama = await sim(0, { latency: { tokensPerSecond: 100 } });
    const lunar = client({ host: ollama.url, connections: 1 });
    const calls = Array.from({ length: 3 }, () => lunar.chat(chat));
    await waitFor(() => lunar.hosts()[0]!.running === 1);
    expect(lunar.hosts()[0]).toMatchObject({ connected: 1, free: 0, running: 1, queued: 2, down: false });
    await Promise.all(calls);
    // undici marks the connection free a moment after the last body ends.
    await waitFor(() => lunar.hosts()[0]!.free === 1);
    expect(lunar.hosts()[0]).toMatchObject({ connected: 1, free: 1, running: 0, queued: 0, requests: 3 });
  });
});
