// The agent's benchmarks: the whole pipeline unoptimised vs optimised against the simulator's
// `seed` profile on llama3.2:3b and qwen3:8b, each scenario against its lower bound (plus each
// optimization alone on the first model), the memory-search cache against the real search, and
// what the OpenTelemetry spans cost per turn with and without an SDK registered.
// (The memory store's own search benchmark is in @lunar/memory.)
// Run: pnpm --filter @lunar/agent bench        (BENCH_TURNS=5 for more turns per scenario)
// LUNAR_BENCH_SHORT=1: one turn per scenario, no optimization alone, a small store, the `fast` profile.
import { benchShort, printBenchHeader, sized } from '@lunar/dev-kit';
import { embed, modelLatency, startOllamaSim } from '@lunar/ollama-sim';
import { formatBenchmark, runAgentBenchmark } from '../src/bench/index.js';
import { benchMemoryCache, formatMemoryCacheBench } from './memory-cache.bench.js';
import { benchTelemetry, formatTelemetryBench } from './telemetry.bench.js';

const turns = sized(Number(process.env.BENCH_TURNS ?? 3), 1);
const profile = sized((process.env.BENCH_PROFILE ?? 'seed') as 'seed' | 'gpu' | 'cpu', 'fast' as const);

async function main(): Promise<void> {
  printBenchHeader('# @lunar/agent benchmarks');
  console.log('');
  console.log(formatMemoryCacheBench(await (benchShort ? benchMemoryCache(1_000, 20) : benchMemoryCache())));
  console.log('');
  console.log(formatTelemetryBench(await benchTelemetry(sized(10, 2), sized(20, 3))));
  console.log('');
  console.log(
    `Agent turns against the simulator's \`${profile}\` profile, ${turns} turn(s) per scenario, medians:`,
  );
  const started = Date.now();
  const result = await runAgentBenchmark({
    turns,
    eachOptimization: sized(true, false),
    memories: sized(2_000, 100),
    engine: async () => {
      const sim = await startOllamaSim({ profile });
      return {
        url: sim.url,
        close: () => sim.close(),
        embedLocally: (texts) => texts.map((text) => embed(text)),
        latency: (model) => modelLatency(model, profile),
      };
    },
    onProgress: (done, total, label) => {
      if (process.stderr.isTTY) process.stderr.write(`\r  ${done}/${total} turns (${label})   `);
    },
  });
  if (process.stderr.isTTY) process.stderr.write('\n');
  console.log(formatBenchmark(result, { judge: !benchShort }));
  console.log(
    `\n(${((Date.now() - started) / 1000).toFixed(0)} s; tools: ${JSON.stringify(result.toolLatencyMs)})`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
