// The agent's benchmarks: the whole pipeline unoptimised vs optimised against the simulator's
// `seed` profile (plus each switch alone), and the memory-search cache against the real search.
// (The memory store's own search benchmark is in @lunar/memory.)
// Run: pnpm --filter @lunar/agent bench        (BENCH_TURNS=5 for more turns per scenario)
import { embed, startOllamaSim } from '@lunar/ollama-sim';
import { formatBenchmark, runAgentBenchmark } from '../src/index.js';
import { benchMemoryCache, formatMemoryCacheBench } from './memory-cache.bench.js';

// LUNAR_BENCH_SHORT=1 (CI): one turn on the fast profile and small stores, to prove the bench runs.
const short = process.env.LUNAR_BENCH_SHORT === '1';
const turns = Number(process.env.BENCH_TURNS ?? (short ? 1 : 3));
const profile = (process.env.BENCH_PROFILE ?? (short ? 'fast' : 'seed')) as 'seed' | 'gpu' | 'cpu' | 'fast';

async function main(): Promise<void> {
  console.log(`# @lunar/agent benchmarks (Node ${process.version}, ${process.platform}/${process.arch})\n`);
  console.log(formatMemoryCacheBench(await (short ? benchMemoryCache(1_000, 20) : benchMemoryCache())));
  console.log('');
  console.log(
    `Agent turns against the simulator's \`${profile}\` profile, ${turns} turn(s) per scenario, medians:`,
  );
  const started = Date.now();
  const result = await runAgentBenchmark({
    turns,
    backend: async () => {
      const sim = await startOllamaSim({ profile });
      return {
        url: sim.url,
        close: () => sim.close(),
        embedLocally: (texts) => texts.map((text) => embed(text)),
      };
    },
    onProgress: (done, total, label) => {
      if (process.stderr.isTTY) process.stderr.write(`\r  ${done}/${total} turns (${label})   `);
    },
  });
  if (process.stderr.isTTY) process.stderr.write('\n');
  console.log(formatBenchmark(result));
  console.log(
    `\n(${((Date.now() - started) / 1000).toFixed(0)} s; tools: ${JSON.stringify(result.toolLatencyMs)})`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
