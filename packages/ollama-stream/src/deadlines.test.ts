import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Deadlines } from './deadlines.js';
import type { OllamaDeadline } from './errors.js';
import { DEFAULT_TIMEOUTS, type ResolvedTimeouts } from './options.js';

describe('Deadlines', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Deadlines with only `timeouts` on (0 is off), recording which expire. */
  function watch(timeouts: Partial<ResolvedTimeouts>) {
    const expired: OllamaDeadline[] = [];
    const all = { headersMs: 0, idleMs: 0, totalMs: 0, ...timeouts };
    const deadlines = new Deadlines(all, 'http://h:1', (deadline) => expired.push(deadline));
    return { deadlines, expired };
  }

  it('expires headersMs when no answer arrives, naming the deadline', () => {
    const { expired, deadlines } = watch({ headersMs: 100 });
    vi.advanceTimersByTime(99);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual(['headersMs']);
    expect(deadlines.armed).toBe(false);
  });

  it('arms nothing for a deadline of 0 (off)', () => {
    const { expired, deadlines } = watch({});
    expect(deadlines.armed).toBe(false);
    deadlines.chunk(performance.now());
    vi.advanceTimersByTime(1_000_000);
    expect(expired).toEqual([]);
  });

  it('arms the defaults: 5 min for the headers, then 2 min of silence between chunks', () => {
    const expired: OllamaDeadline[] = [];
    const deadlines = new Deadlines(DEFAULT_TIMEOUTS, 'http://h:1', (deadline) => expired.push(deadline));
    vi.advanceTimersByTime(299_999);
    deadlines.chunk(performance.now());
    vi.advanceTimersByTime(119_999);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual(['idleMs']);
  });

  it('switches from headersMs to idleMs at the first chunk', () => {
    const { expired, deadlines } = watch({ headersMs: 100, idleMs: 50 });
    vi.advanceTimersByTime(90);
    deadlines.chunk(performance.now());
    vi.advanceTimersByTime(49);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual(['idleMs']);
  });

  it('measures idle time from the last chunk, re-arming lazily', () => {
    const { expired, deadlines } = watch({ headersMs: 100, idleMs: 50 });
    vi.advanceTimersByTime(90);
    deadlines.chunk(performance.now());
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(40);
      deadlines.chunk(performance.now());
    }
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(49);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(2);
    expect(expired).toEqual(['idleMs']);
  });

  it('does not count idle time while reading is paused for a slow consumer', () => {
    const { expired, deadlines } = watch({ idleMs: 50 });
    deadlines.chunk(performance.now());
    deadlines.pause();
    vi.advanceTimersByTime(500);
    expect(expired).toEqual([]);
    deadlines.resume(performance.now());
    vi.advanceTimersByTime(120);
    expect(expired).toEqual(['idleMs']);
  });

  it('expires totalMs even while chunks flow', () => {
    const { expired, deadlines } = watch({ idleMs: 50, totalMs: 200 });
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(30);
      deadlines.chunk(performance.now());
    }
    expect(expired).toEqual(['totalMs']);
    expect(deadlines.armed).toBe(false);
  });

  it('clear() stops every timer', () => {
    const { expired, deadlines } = watch({ headersMs: 10, totalMs: 20 });
    expect(deadlines.armed).toBe(true);
    deadlines.clear();
    expect(deadlines.armed).toBe(false);
    vi.advanceTimersByTime(100);
    expect(expired).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
