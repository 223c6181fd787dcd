import {
  formatDuration,
  formatRatio,
  printTable,
  type Summary,
  sized,
  summarise,
  timeRounds,
} from '@lunar/dev-kit';
import { MemorySearchCache } from '../src/index.js';
import type { Bm25Index, Hit } from './bm25.js';

/** `samples` timed calls of `operation(index)`, after none: a summary in ms. */
async function timeEach(samples: number, operation: (index: number) => unknown): Promise<Summary> {
  return summarise(await timeRounds(operation, samples, 0));
}

/** Hit latency of the cache against the search it saves, both measured here, in this run. */
export async function benchHitLatency(index: Bm25Index, queries: readonly string[]): Promise<void> {
  const params = { k: 10, weights: { bm25: 1, vector: 0 }, filters: { kind: 'fact' } };
  const search = async (query: string, options: typeof params): Promise<Hit[]> =>
    index.search(query, options.k);
  const pick = (position: number) => queries[position % queries.length] as string;
  // The same queries as an agent might re-word them: other case, extra spaces.
  const reworded = queries.map((query) => `  ${query.toUpperCase().replaceAll(' ', '   ')} `);

  await timeEach(sized(300, 10), (position) => search(pick(position), params)); // warm-up
  const uncached = await timeEach(sized(2_000, 20), (position) => search(pick(position), params));

  const missCache = new MemorySearchCache<Hit[]>();
  // A fresh scope per call: every call is a miss (the bound evicts the old ones).
  const miss = await timeEach(sized(2_000, 20), (position) =>
    missCache.search(pick(position), search, { scope: `run-${position}`, params }),
  );

  const cache = new MemorySearchCache<Hit[]>();
  for (const query of queries) await cache.search(query, search, { params });
  await timeEach(sized(20_000, 50), (position) => cache.search(pick(position), search, { params })); // warm-up
  const hit = await timeEach(sized(100_000, 200), (position) =>
    cache.search(pick(position), search, { params }),
  );
  const hitReworded = await timeEach(sized(100_000, 200), (position) =>
    cache.search(reworded[position % reworded.length] as string, search, { params }),
  );
  const stats = cache.stats();
  if (stats.misses !== queries.length) throw new Error(`expected only warm-up misses, got ${stats.misses}`);

  const row = (name: string, summary: Summary) => [
    name,
    String(summary.samples),
    formatDuration(summary.p50),
    formatDuration(summary.p99),
    formatDuration(summary.mean),
    formatRatio(uncached.p50 / summary.p50),
  ];
  printTable(
    `Hit latency: ${queries.length} distinct queries, params { k: 10, weights, filters } (goal: hit p50 < 5 us). ` +
      'In-process CPU work side by side: the ratio compares CPU cost; a user saves the difference.',
    ['path', 'samples', 'p50', 'p99', 'mean', 'speed-up at p50 vs BM25'],
    [
      row('BM25 search, no cache', uncached),
      row('through the cache, miss', miss),
      row('cache hit', hit),
      row('cache hit, re-worded query', hitReworded),
    ],
  );
}
