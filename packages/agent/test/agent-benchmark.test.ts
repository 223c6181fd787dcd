import { embed, modelLatency, startOllamaSim } from '@lunar/ollama-sim';
import { describe, expect, it } from 'vitest';
import { formatBenchmark, runAgentBenchmark, stageSums } from '../src/bench/index.js';
import { toolSpansOf } from '../src/index.js';

describe('runAgentBenchmark', () => {
  // Four configurations of real turns with the bench tools' fixed latencies: seconds, more on a busy machine.
  it('runs every scenario unoptimised and optimised on each model, against a fresh engine each, with its bound', {
    timeout: 60_000,
  }, async () => {
    let started = 0;
    let closed = 0;
    const progress: number[] = [];
    const result = await runAgentBenchmark({
      turns: 1,
      eachOptimization: false,
      memories: 50,
      engine: async () => {
        started += 1;
        const sim = await startOllamaSim({ profile: 'fast' });
        return {
          url: sim.url,
          close: async () => {
            closed += 1;
            await sim.close();
          },
          embedLocally: (texts) => texts.map((text) => embed(text)),
          latency: (model) => modelLatency(model, 'fast'),
        };
      },
      onProgress: (done, total) => progress.push(done / total),
    });
    expect(result.models.map((model) => model.model)).toEqual(['llama3.2:3b', 'qwen3:8b']);
    expect(started).toBe(4);
    expect(closed).toBe(4);
    expect(progress.at(-1)).toBe(1);
    for (const model of result.models) {
      for (const configuration of [model.before, model.after]) {
        expect(configuration.turns.text).toHaveLength(1);
        expect(configuration.turns.tools[0]!.toolCalls).toBe(2);
        for (const profile of Object.values(configuration.turns).flat()) {
          // Every stage table adds up to its turn's total.
          const sums = stageSums(profile);
          expect(sums.sumMs - sums.overlapMs + sums.outsideMs).toBeCloseTo(profile.totalMs, 6);
          // A tools stage spans the tool calls it covers exactly, and every call is covered once.
          const tools = profile.stages.filter((stage) => stage.name === 'tools');
          for (const stage of tools) {
            const spans = toolSpansOf(stage, profile.toolSpans);
            expect(stage.startMs).toBe(Math.min(...spans.map((span) => span.startMs)));
            expect(stage.startMs + stage.durationMs).toBeCloseTo(
              Math.max(...spans.map((span) => span.startMs + span.durationMs)),
              6,
            );
          }
          expect(tools.flatMap((stage) => toolSpansOf(stage, profile.toolSpans))).toHaveLength(
            profile.toolSpans.length,
          );
        }
      }
      // Asked again, the optimised agent answers from its caches: no Ollama call at all.
      expect(model.after.turns.repeat[0]!.ollamaCalls).toBe(0);
      expect(model.before.turns.repeat[0]!.ollamaCalls).toBe(2);
      // The optimised side predicted the two-tool questions' calls, and the model made them.
      expect(model.before.speculation).toEqual({ started: 0, used: 0 });
      expect(model.after.speculation.started).toBeGreaterThan(0);
      expect(model.after.speculation.used).toBeGreaterThan(0);
      expect(model.after.speculation.used).toBeLessThanOrEqual(model.after.speculation.started);
      // Only the warm-up of the optimised side takes time before the first turn.
      expect(model.before.warmupMs).toBe(0);
      expect(model.after.warmupMs).toBeGreaterThan(0);

      // The bound of the two-tool turn: two calls, the tools in the order asked, a cached prefix.
      const tools = model.bounds.tools!;
      expect(tools.shape.embeddings).toBe(1);
      expect(tools.shape.calls.map((call) => call.toolMs)).toEqual([[250, 400], []]);
      const firstCall = model.after.turns.tools[0]!.stages.find((stage) => stage.name === 'llm')!;
      const promptTokens = firstCall.detail!.promptTokens as number;
      const [first, second] = tools.shape.calls;
      expect(first!.uncachedPromptTokens).toBeGreaterThan(0);
      expect(first!.uncachedPromptTokens).toBeLessThan(promptTokens);
      expect(first!.writtenTokens).toBe(firstCall.detail!.outputTokens);
      expect(second!.uncachedPromptTokens).toBeGreaterThan(0);
      expect(second!.writtenTokens).toBeGreaterThanOrEqual(1);
      expect(tools.bound.toolsMs).toBe(400);
      expect(model.bounds.text!.shape.calls).toHaveLength(1);
    }
    // llama3.2 answers at once; qwen3 thinks first: it must write more before its answer.
    const [llama, qwen] = result.models;
    expect(llama!.bounds.text!.shape.calls[0]!.writtenTokens).toBe(1);
    expect(qwen!.bounds.text!.shape.calls[0]!.writtenTokens).toBeGreaterThan(1);

    const report = formatBenchmark(result);
    expect(report).toMatch(/Speculative tool calls \(after, every turn\): \d+ of \d+ started/);
    expect(report).toContain('## llama3.2:3b');
    expect(report).toContain('## qwen3:8b');
    expect(report).toContain('(text) a question answered in text');
    expect(report).toMatch(/\| time to first token \(median of 1\) +\|/);
    expect(report).toMatch(/\| tools #1 +\|/);
    expect(report).toMatch(/\| after \/ bound +\|/);
    expect(report).toContain('| time to ready (agent.warmup())');
    expect(report).toContain('## Against the lower bound');
  });

  it('runs each optimization alone, and counts what warmup() did before the first turn for those that use it', {
    timeout: 120_000,
  }, async () => {
    const result = await runAgentBenchmark({
      turns: 1,
      models: ['llama3.2:3b'],
      memories: 0,
      engine: async () => {
        const sim = await startOllamaSim({ profile: 'fast' });
        return {
          url: sim.url,
          close: () => sim.close(),
          embedLocally: (texts) => texts.map((text) => embed(text)),
        };
      },
    });
    const alone = result.models[0]!.alone;
    expect(alone.map((configuration) => configuration.name)).toContain('prefixWarmup');
    for (const configuration of alone) {
      // warmup() loads the model with `warmup`, and evaluates the prefix (loading it) with `prefixWarmup`.
      const warms = configuration.name === 'warmup' || configuration.name === 'prefixWarmup';
      if (warms) expect(configuration.warmupMs, configuration.name).toBeGreaterThan(0);
      else expect(configuration.warmupMs, configuration.name).toBe(0);
    }
  });

  it('rejects bad options', async () => {
    await expect(runAgentBenchmark({ engine: undefined as never })).rejects.toThrow(TypeError);
    await expect(
      runAgentBenchmark({ engine: async () => ({ url: '', close: async () => {} }), turns: 0 }),
    ).rejects.toThrow(/turns must be/);
    const engine = async () => ({ url: '', close: async () => {} });
    await expect(runAgentBenchmark({ engine, eachSwitch: false } as never)).rejects.toThrow(
      /unknown option "eachSwitch"; did you mean "eachOptimization"\?/,
    );
    await expect(runAgentBenchmark({ engine, models: [] })).rejects.toThrow(/models must be/);
    await expect(runAgentBenchmark({ engine, model: 'x' } as never)).rejects.toThrow(/did you mean "models"/);
  });
});
