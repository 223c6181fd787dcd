import { embed, startOllamaSim } from '@lunar/ollama-sim';
import { describe, expect, it } from 'vitest';
import { formatBenchmark, runAgentBenchmark } from '../src/bench/index.js';

describe('runAgentBenchmark', () => {
  // Two configurations of real turns with the bench tools' fixed latencies: seconds, more on a busy machine.
  it('runs every scenario unoptimised and optimised, each against a fresh engine', {
    timeout: 30_000,
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
        };
      },
      onProgress: (done, total) => progress.push(done / total),
    });
    expect(started).toBe(2);
    expect(closed).toBe(2);
    expect(progress.at(-1)).toBe(1);
    for (const configuration of [result.before, result.after]) {
      expect(configuration.turns.text).toHaveLength(1);
      expect(configuration.turns.tools[0]!.toolCalls).toBe(2);
    }
    // Asked again, the optimised agent answers from its caches: no Ollama call at all.
    expect(result.after.turns.repeat[0]!.ollamaCalls).toBe(0);
    expect(result.before.turns.repeat[0]!.ollamaCalls).toBe(2);
    const report = formatBenchmark(result);
    expect(report).toContain('(text) a question answered in text');
    expect(report).toContain('| time to first token |');
    expect(report).toMatch(/\| tools #1 +\|/);
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
  });
});
