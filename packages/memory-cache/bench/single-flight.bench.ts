import { MemorySearchCache } from '../src/index.js';
import type { Bm25Index, Hit } from './bm25.js';
import { formatUs, median, printTable } from './measure.js';

const CONCURRENCY = 100;
const ROUNDS = 20;

/** 100 identical queries at once, with and without the cache, over 20 rounds of different queries. */
export async function benchSingleFlight(index: Bm25Index, queries: readonly string[]): Promise<void> {
  let searches = 0;
  const search = async (query: string): Promise<Hit[]> => {
    searches++;
    return index.search(query, 10);
  };
  const without = { searches: 0, times: [] as number[] };
  const withCache = { searches: 0, times: [] as number[] };

  for (let round = 0; round < ROUNDS; round++) {
    const query = queries[round % queries.length] as string;
    const runs = [
      async () => {
        searches = 0;
        const start = process.hrtime.bigint();
        await Promise.all(Array.from({ length: CONCURRENCY }, () => search(query)));
        without.times.push(Number(process.hrtime.bigint() - start) / 1_000);
        without.searches += searches;
      },
      async () => {
        searches = 0;
        const cache = new MemorySearchCache<Hit[]>();
        const start = process.hrtime.bigint();
        await Promise.all(Array.from({ length: CONCURRENCY }, () => cache.search(query, search)));
        withCache.times.push(Number(process.hrtime.bigint() - start) / 1_000);
        withCache.searches += searches;
      },
    ];
    if (round % 2 === 1) runs.reverse(); // neither side always runs first
    for (const run of runs) await run();
  }

  const withoutMedian = median(without.times);
  const withMedian = median(withCache.times);
  printTable(
    `Single-flight: ${CONCURRENCY} concurrent identical queries, median of ${ROUNDS} rounds`,
    ['path', 'searches run per round', 'wall time (median)', 'speed-up'],
    [
      ['no cache', String(without.searches / ROUNDS), formatUs(withoutMedian), '1.0x'],
      [
        'MemorySearchCache (cold)',
        String(withCache.searches / ROUNDS),
        formatUs(withMedian),
        `${(withoutMedian / withMedian).toFixed(1)}x`,
      ],
    ],
  );
}
