import { describe, expect, it } from 'vitest';
import { serverTiming } from './server-timing.js';

describe('serverTiming', () => {
  it('writes one metric per stage with its duration, round and cache status', () => {
    expect(
      serverTiming([
        { name: 'input-guards', startMs: 0, durationMs: 0.4123 },
        { name: 'memory-search', startMs: 0, durationMs: 1.25, cache: 'hit' },
        { name: 'llm', round: 2, startMs: 2, durationMs: 10, cache: 'miss' },
      ]),
    ).toBe(
      'input-guards;dur=0.412, memory-search;desc="cache hit";dur=1.250, llm;desc="round 2, cache miss";dur=10.000',
    );
    expect(serverTiming([])).toBe('');
  });
});
