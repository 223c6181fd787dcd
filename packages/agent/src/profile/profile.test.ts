import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatProfile } from './format-profile.js';
import type { TurnProfile } from './profile.js';
import { Profiler } from './profiler.js';

describe('Profiler', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('records stages as offsets from the turn start, in start order', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const profiler = new Profiler();
    const guards = profiler.stage('input-guards');
    vi.advanceTimersByTime(1);
    const search = profiler.stage('memory-search');
    vi.advanceTimersByTime(5);
    search.end({ cache: 'hit' });
    guards.end({ detail: { guards: 2 } });
    guards.end(); // a second end changes nothing
    const llm = profiler.stage('llm', 1);
    profiler.firstToken();
    profiler.firstToken();
    llm.end({ cache: 'miss' });
    profiler.round({ reachedOllama: true, inputTokens: 10, outputTokens: 5, ollama: { evalMs: 3 } });
    profiler.round({ reachedOllama: false, inputTokens: 10, outputTokens: 5, ollama: { evalMs: 99 } });
    const profile = profiler.finish('llama3.2:3b');

    expect(profile.stages.map((stage) => stage.name)).toEqual(['input-guards', 'memory-search', 'llm']);
    expect(profile.stages[1]).toMatchObject({ startMs: 1, durationMs: 5 });
    expect(profile.stages[0]!.detail).toEqual({ guards: 2 });
    expect(profile.stages[2]).toMatchObject({ round: 1, cache: 'miss' });
    expect(profile.timeToFirstTokenMs).not.toBeNull();
    expect(profile.timeToFirstTokenMs!).toBeLessThanOrEqual(profile.totalMs);
    expect(profile.ollamaCalls).toBe(1);
    expect(profile.rounds).toBe(2);
    expect(profile.tokens).toEqual({ input: 20, output: 10 });
    expect(profile.ollama.evalMs).toBe(3);
    expect(profile.otel['gen_ai.invoke_agent.inference_calls']).toBe(2);
    expect(profile.otel['gen_ai.client.operation.time_to_first_chunk']).toBeCloseTo(
      profile.timeToFirstTokenMs! / 1000,
    );
  });
});

describe('formatProfile', () => {
  const profile: TurnProfile = {
    stages: [
      { name: 'input-guards', startMs: 0, durationMs: 0.2 },
      { name: 'memory-search', startMs: 0, durationMs: 50, cache: 'miss' },
      {
        name: 'llm',
        round: 1,
        startMs: 50,
        durationMs: 950,
        cache: 'hit',
        detail: { timeToFirstTokenMs: 2 },
      },
    ],
    timeToFirstTokenMs: 52,
    totalMs: 1000,
    ollamaCalls: 0,
    rounds: 1,
    toolCalls: 0,
    tokens: { input: 100, output: 20 },
    ollama: { loadMs: 0, promptEvalMs: 0, evalMs: 0, totalMs: 0 },
    otel: {},
  };

  it('draws one row per stage on a shared axis', () => {
    const text = formatProfile(profile, { width: 20, ascii: true });
    const lines = text.split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatch(/^input-guards\s+0\.0 ms\s+0\.2 ms\s+\|/);
    expect(lines[2]).toContain('#'.repeat(1));
    expect(lines[3]).toMatch(/llm #1 .* {1}#{19}\s+cache hit, first token after 2\.0 ms$/);
    expect(lines[4]).toBe('first token 52 ms · total 1,000 ms · 0 Ollama calls · 120 tokens');
  });

  it('rejects a width too small to draw', () => {
    expect(() => formatProfile(profile, { width: 3 })).toThrow(TypeError);
  });
});
