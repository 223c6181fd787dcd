import { describe, expect, it } from 'vitest';
import type { StageRecord, TurnProfile } from '../profile/profile.js';
import { stageSums } from './stage-sums.js';

function profile(stages: StageRecord[], totalMs: number): TurnProfile {
  return {
    stages,
    toolSpans: [],
    timeToFirstTokenMs: null,
    totalMs,
    ollamaCalls: 0,
    rounds: 0,
    toolCalls: 0,
    tokens: { input: 0, output: 0 },
    ollama: { loadMs: 0, promptEvalMs: 0, evalMs: 0, totalMs: 0 },
    otel: {},
  };
}

describe('stageSums', () => {
  it('adds the stages up to the total: sum, minus what ran at once, plus the time in no stage', () => {
    const sums = stageSums(
      profile(
        [
          { name: 'input-guards', startMs: 0, durationMs: 2 },
          { name: 'memory-search', startMs: 0, durationMs: 10 },
          { name: 'llm', round: 1, startMs: 11, durationMs: 100 },
          { name: 'tools', round: 1, startMs: 60, durationMs: 90 },
          { name: 'wait', round: 1, startMs: 111, durationMs: 39, waitingFor: 'tools' },
          { name: 'llm', round: 2, startMs: 151, durationMs: 50 },
          { name: 'output-guards', startMs: 199, durationMs: 2 },
        ],
        202,
      ),
    );
    expect(sums.sumMs).toBe(293);
    expect(sums.overlaps).toEqual([
      { first: 'input-guards', second: 'memory-search', ms: 2 },
      { first: 'llm #1', second: 'tools #1', ms: 51 },
      { first: 'tools #1', second: 'wait #1 for tools', ms: 39 },
      { first: 'output-guards', second: 'llm (in pieces, along the stream)', ms: 2 },
    ]);
    expect(sums.overlapMs).toBe(94);
    // 10-11 and 150-151 are in no stage, and 201-202.
    expect(sums.outsideMs).toBe(3);
    expect(sums.sumMs - sums.overlapMs + sums.outsideMs).toBe(sums.totalMs);
    expect(sums.stages.get('wait #1 for tools')).toBe(39);
  });
});
