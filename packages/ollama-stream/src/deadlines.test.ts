import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Deadlines } from './deadlines.js';
import type { OllamaError } from './errors.js';

describe('Deadlines', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function watch(timeouts: ConstructorParameters<typeof Deadlines>[0], streamed = true) {
    const expired: OllamaError[] = [];
    const deadlines = new Deadlines(timeouts, streamed, 'http://h:1', (error) => expired.push(error));
    return { deadlines, expired };
  }

  it('expires firstTokenMs when no chunk arrives, naming the deadline', () => {
    const { expired, deadlines } = watch({ firstTokenMs: 100 });
    vi.advanceTimersByTime(99);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(expired).toHaveLength(1);
    expect(expired[0]!.code).toBe('OLLAMA_TIMEOUT');
    expect(expired[0]!.deadline).toBe('firstTokenMs');
    expect(expired[0]!.message).toBe(
      'Ollama at http://h:1 did not answer for the first token within firstTokenMs (100 ms)',
    );
    expect(deadlines.armed).toBe(false);
  });

  it('ignores firstTokenMs and idleMs for calls that are not streamed', () => {
    const { expired, deadlines } = watch({ firstTokenMs: 10, idleMs: 10 }, false);
    expect(deadlines.armed).toBe(false);
    vi.advanceTimersByTime(1000);
    expect(expired).toEqual([]);
  });

  it('switches from firstTokenMs to idleMs at the first chunk', () => {
    const { expired, deadlines } = watch({ firstTokenMs: 100, idleMs: 50 });
    vi.advanceTimersByTime(90);
    deadlines.chunk(performance.now());
    vi.advanceTimersByTime(49);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(expired.map((error) => error.deadline)).toEqual(['idleMs']);
  });

  it('measures idle time from the last chunk, re-arming lazily', () => {
    const { expired, deadlines } = watch({ firstTokenMs: 100, idleMs: 50 });
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
    expect(expired.map((error) => error.deadline)).toEqual(['idleMs']);
  });

  it('does not count idle time while reading is paused for a slow consumer', () => {
    const { expired, deadlines } = watch({ idleMs: 50 });
    deadlines.chunk(performance.now());
    deadlines.pause();
    vi.advanceTimersByTime(500);
    expect(expired).toEqual([]);
    deadlines.resume(performance.now());
    vi.advanceTimersByTime(120);
    expect(expired.map((error) => error.deadline)).toEqual(['idleMs']);
  });

  it('expires totalMs even while chunks flow', () => {
    const { expired, deadlines } = watch({ idleMs: 50, totalMs: 200 });
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(30);
      deadlines.chunk(performance.now());
    }
    expect(expired.map((error) => error.deadline)).toEqual(['totalMs']);
    expect(deadlines.armed).toBe(false);
  });

  it('clear() stops every timer', () => {
    const { expired, deadlines } = watch({ firstTokenMs: 10, totalMs: 20 });
    expect(deadlines.armed).toBe(true);
    deadlines.clear();
    expect(deadlines.armed).toBe(false);
    vi.advanceTimersByTime(100);
    expect(expired).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
