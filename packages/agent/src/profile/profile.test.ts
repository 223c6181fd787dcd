import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatProfile } from './format-profile.js';
import { type StageRecord, type TurnProfile, toolSpansOf } from './profile.js';
import { Profiler, type ToolEnd } from './profiler.js';

const endOf = (record: { startMs: number; durationMs: number }) => record.startMs + record.durationMs;

/** A tool call of round 1 that runs `ms` (fake) milliseconds from now. */
function runTool(profiler: Profiler, callId: string, ms: number, end: Partial<ToolEnd> = {}): void {
  profiler.toolStarted(callId);
  vi.advanceTimersByTime(ms);
  profiler.toolEnded(1, { callId, name: callId, ok: true, cache: 'bypass', ...end });
}

const rows = (records: StageRecord[]) =>
  records.map((record) => [record.name, record.startMs, record.durationMs]);

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

  it("makes the tools stage the tools' own time, and a wait for the tools after the model ended", () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const profiler = new Profiler();
    const llm = profiler.stage('llm', 1);
    vi.advanceTimersByTime(100);
    profiler.toolStarted('a'); // eager: started while the model writes
    vi.advanceTimersByTime(50);
    profiler.toolStarted('b');
    vi.advanceTimersByTime(10);
    llm.end();
    vi.advanceTimersByTime(30);
    profiler.toolEnded(1, { callId: 'a', name: 'get_weather', ok: true, cache: 'miss' });
    vi.advanceTimersByTime(200);
    profiler.toolEnded(1, { callId: 'b', name: 'get_stock_price', ok: true, cache: 'miss' });
    vi.advanceTimersByTime(40); // the turn reads the results later: not the tools' time
    const [tools, wait] = profiler.toolsStage(1, { toolCache: true, detail: {} });

    expect(tools).toMatchObject({ name: 'tools', round: 1, startMs: 100, durationMs: 290, cache: 'miss' });
    expect(tools!.detail).toMatchObject({ fromCache: 0, startedEarly: 2 });
    expect(wait).toMatchObject({
      name: 'wait',
      round: 1,
      waitingFor: 'tools',
      startMs: 160,
      durationMs: 230,
    });
    const profile = profiler.finish('llama3.2:3b');
    expect(profile.toolSpans).toEqual([
      expect.objectContaining({ callId: 'a', startMs: 100, durationMs: 90, early: true }),
      expect.objectContaining({ callId: 'b', startMs: 150, durationMs: 240, early: true }),
    ]);
    expect(endOf(profile.toolSpans[1]!)).toBe(endOf(tools!));
  });

  it('makes one tools stage per burst: eager tools started apart never span the model writing between them', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const profiler = new Profiler();
    const llm = profiler.stage('llm', 1);
    vi.advanceTimersByTime(100);
    runTool(profiler, 'a', 2);
    vi.advanceTimersByTime(400); // the model writes the next call
    runTool(profiler, 'b', 5);
    vi.advanceTimersByTime(10);
    llm.end();
    const records = profiler.toolsStage(1, { toolCache: true, detail: {} });
    expect(rows(records)).toEqual([
      ['tools', 100, 2],
      ['tools', 502, 5],
      ['wait', 507, 10],
    ]);
    expect(records[0]).toMatchObject({ cache: 'bypass', detail: { calls: 1 } });
    const profile = profiler.finish('m');
    const [first, second] = profile.stages.filter((stage) => stage.name === 'tools');
    expect(toolSpansOf(first!, profile.toolSpans).map((span) => span.callId)).toEqual(['a']);
    expect(toolSpansOf(second!, profile.toolSpans).map((span) => span.callId)).toEqual(['b']);
  });

  it('makes a wait for the model when the tools ended first, and no wait without overlap', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const profiler = new Profiler();
    const llm = profiler.stage('llm', 1);
    vi.advanceTimersByTime(100);
    runTool(profiler, 'a', 2, { cache: 'hit' });
    vi.advanceTimersByTime(300);
    llm.end();
    const records = profiler.toolsStage(1, { toolCache: true, detail: {} });
    expect(rows(records)).toEqual([
      ['tools', 100, 2],
      ['wait', 102, 300],
    ]);
    expect(records[0]!.cache).toBe('hit');
    expect(records[1]!.waitingFor).toBe('llm');

    const llm2 = profiler.stage('llm', 2);
    vi.advanceTimersByTime(10);
    llm2.end();
    profiler.toolStarted('c'); // not eager: after the model ended
    profiler.toolEnded(2, { callId: 'c', name: 'calc', ok: false, errorCode: 'timeout', cache: 'off' });
    const late = profiler.toolsStage(2, { toolCache: false, detail: {} });
    expect(late.map((record) => record.name)).toEqual(['tools']);
    expect(late[0]!.cache).toBe('off');
    expect(profiler.finish('m').toolSpans[1]).toMatchObject({
      ok: false,
      errorCode: 'timeout',
      early: false,
    });
  });
});

describe('formatProfile', () => {
  const profile: TurnProfile = {
    stages: [
      { name: 'input-guards', startMs: 0, durationMs: 0.2 },
      { name: 'memory-search', startMs: 0, durationMs: 50, cache: 'miss', critical: true },
      {
        name: 'llm',
        round: 1,
        startMs: 50,
        durationMs: 950,
        cache: 'hit',
        critical: true,
        detail: { timeToFirstTokenMs: 2 },
      },
      { name: 'tools', round: 1, startMs: 500, durationMs: 5, cache: 'miss' },
      { name: 'wait', round: 1, startMs: 505, durationMs: 495, waitingFor: 'llm', critical: true },
    ],
    toolSpans: [
      {
        callId: 'c1',
        name: 'get_weather',
        round: 1,
        startMs: 500,
        durationMs: 5,
        cache: 'miss',
        ok: true,
        early: true,
      },
    ],
    timeToFirstTokenMs: 52,
    totalMs: 1000,
    ollamaCalls: 0,
    rounds: 1,
    toolCalls: 1,
    tokens: { input: 100, output: 20 },
    ollama: { loadMs: 0, promptEvalMs: 0, evalMs: 0, totalMs: 0 },
    otel: {},
  };

  it('draws one row per stage on a shared axis, each tool call under its stage, the critical path marked', () => {
    const text = formatProfile(profile, { width: 20, ascii: true });
    const lines = text.split('\n');
    expect(lines).toHaveLength(9);
    expect(lines[1]).toMatch(/^ {2}input-guards\s+0\.0 ms\s+0\.2 ms\s+\|$/);
    expect(lines[2]).toMatch(/^\* memory-search .* #\s+cache miss$/);
    expect(lines[3]).toMatch(/^\* llm #1 .* {1}#{19}\s+cache hit, first chunk after 2\.0 ms$/);
    // Off the critical path: drawn light.
    expect(lines[4]).toMatch(/^ {2}tools #1 .*\|\s+cache miss$/);
    expect(lines[5]).toMatch(/^ {4}get_weather .*started while the model wrote$/);
    expect(lines[6]).toMatch(/^\* wait #1 for llm .* {10}#{10}\s+the tools were done, the model was not$/);
    expect(lines[7]).toBe('* the first token waited for these (its critical path)');
    expect(lines[8]).toBe('first token 52 ms · total 1,000 ms · 0 Ollama calls · 120 tokens');
  });

  it('rejects a width too small to draw', () => {
    expect(() => formatProfile(profile, { width: 3 })).toThrow(TypeError);
  });
});
