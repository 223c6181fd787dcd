// @lunar/memory's benchmark: hybrid search on each engine, side by side, in one run.
// Run: pnpm --filter @lunar/memory bench        (LUNAR_BENCH_SHORT=1: a few iterations, nothing judged)
import { benchShort, printBenchHeader, printTable, type Summary, sized } from '@lunar/dev-kit';
import { benchMemorySearch } from './memory-search.bench.js';

printBenchHeader('@lunar/memory bench');
const started = performance.now();
const rows = await benchMemorySearch({
  sizes: sized([10_000, 100_000], [500, 2_000]),
  queries: sized(100, 5),
  dimensions: 768,
  exactLimit: sized(1_000, 200),
});
const ms = (value: number) => `${value.toFixed(2)} ms`;
const cells = (summary: Summary | undefined) =>
  summary === undefined ? ['not run', ''] : [ms(summary.p50), ms(summary.p99)];
printTable(
  `Hybrid search, k = 5, 768-d vectors (HashEmbedder: no model call), ${sized(100, 5)} queries per case; one process, one loopback PostgreSQL`,
  [
    'engine',
    'memories',
    'all scopes p50',
    'p99',
    'one scope of 10 p50',
    'p99',
    'inserts/s (addMany, 1,000 a batch)',
  ],
  rows.map((row) => [
    row.engine,
    row.memories.toLocaleString('en'),
    ...cells(row.all),
    ...cells(row.scoped),
    Math.round(row.insertPerSecond).toLocaleString('en'),
  ]),
);
console.log(
  `\nPostgreSQL's figures include a loopback round trip per statement (two per search). ${benchShort ? '' : `Whole run ${((performance.now() - started) / 1000).toFixed(0)} s.`}`,
);
