import { type AgentBenchmarkResult, summarise } from '@lunar/agent/bench';
import { describe, expect, it } from 'vitest';
import { cliEnv, runCli, useHome } from './helpers.js';

const home = useHome();

describe('lunar bench', () => {
  // Real turns with the bench tools' fixed latencies, a child simulator per configuration: seconds
  // each, more on a loaded machine.
  it('--json: every scenario run before (no optimization) and after (all of them), with its lower bound (child simulator, fast profile)', {
    timeout: 60_000,
  }, async () => {
    const result = await runCli(
      [
        'bench',
        '--turns',
        '1',
        '--no-each-optimization',
        '--json',
        '--profile',
        'fast',
        '--model',
        'llama3.2:3b',
      ],
      {
        env: cliEnv(home.dir),
        timeoutMs: 55_000,
      },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const figures = JSON.parse(result.stdout) as AgentBenchmarkResult;
    expect(figures.turnsPerScenario).toBe(1);
    expect(figures.toolLatencyMs).toEqual({ get_weather: 250, get_stock_price: 400 });
    expect(figures.models.map((model) => model.model)).toEqual(['llama3.2:3b']);
    const [model] = figures.models;
    expect(model!.alone).toEqual([]);
    // Which side is faster is the bench's figure, not this test's: here, both sides ran in full.
    const { before, after } = model!;
    expect(Object.values(before.optimizations)).not.toContain(true);
    expect(Object.values(after.optimizations)).not.toContain(false);
    expect(before.warmupMs).toBe(0);
    expect(after.warmupMs).toBeGreaterThan(0);
    for (const side of [before, after]) {
      for (const scenario of ['text', 'tools', 'repeat'] as const) {
        expect(side.turns[scenario], `${side.name} ${scenario}`).toHaveLength(1);
        expect(summarise(side.turns[scenario]).totalMs).toBeGreaterThan(0);
      }
      expect(side.turns.tools[0]!.toolCalls, `${side.name}: the two tools`).toBe(2);
    }
    // The simulator's speeds give each scenario the model answers its lower bound.
    expect(model!.bounds.tools!.bound.toolsMs).toBe(400);
    expect(model!.bounds.text!.shape.calls).toHaveLength(1);
  });

  it('prints both default models, each scenario against its lower bound', { timeout: 100_000 }, async () => {
    const result = await runCli(['bench', '--turns', '1', '--no-each-optimization', '--profile', 'fast'], {
      env: cliEnv(home.dir),
      timeoutMs: 95_000,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Lunar benchmark: llama3.2:3b and qwen3:8b on the simulator');
    for (const heading of ['## llama3.2:3b', '## qwen3:8b', '## Against the lower bound']) {
      expect(result.stdout).toContain(heading);
    }
    expect(result.stdout).toMatch(/\| time to ready \(agent\.warmup\(\)\) +\|/);
    expect(result.stdout).toMatch(/\| after \/ bound +\|/);
    expect(result.stdout).toMatch(/\| qwen3:8b +\| +tools \|/);
  });

  it('refuses an unreachable --host with exit 1', async () => {
    const result = await runCli(['bench', '--host', 'http://127.0.0.1:1'], { env: cliEnv(home.dir) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Ollama does not answer at http://127.0.0.1:1 (from --host)');
  });
});
