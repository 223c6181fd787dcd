import { type AgentBenchmarkResult, summarise } from '@lunar/agent/bench';
import { describe, expect, it } from 'vitest';
import { cliEnv, runCli, useHome } from './helpers.js';

const home = useHome();

describe('lunar bench', () => {
  it('--json: the optimised first token beats the unoptimised one (child simulator, fast profile)', async () => {
    const result = await runCli(
      ['bench', '--turns', '1', '--no-each-optimization', '--json', '--profile', 'fast'],
      {
        env: cliEnv(home.dir),
        timeoutMs: 40_000,
      },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const figures = JSON.parse(result.stdout) as AgentBenchmarkResult;
    expect(figures.turnsPerScenario).toBe(1);
    expect(figures.alone).toEqual([]);
    expect(figures.toolLatencyMs).toEqual({ get_weather: 250, get_stock_price: 400 });
    for (const scenario of ['tools', 'repeat'] as const) {
      const before = summarise(figures.before.turns[scenario]);
      const after = summarise(figures.after.turns[scenario]);
      expect(after.firstTokenMs).toBeLessThan(before.firstTokenMs);
    }
  });

  it('refuses an unreachable --host with exit 1', async () => {
    const result = await runCli(['bench', '--host', 'http://127.0.0.1:1'], { env: cliEnv(home.dir) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Ollama does not answer at http://127.0.0.1:1 (from --host)');
  });
});
