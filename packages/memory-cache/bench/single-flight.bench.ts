import { formatDuration, formatRatio, median, printTable, sized } from '@lunar/dev-kit';
import { MemorySearchCache } from '../src/index.js';
import type { Bm25Index, Hit } from './bm25.js';

const CONCURRENCY = 100;
const ROUNDS = sized(20, 2);

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
        const start = performance.now();
        await Promise.all(Array.from({ length: CONCURRENCY }, () => search(query)));
        without.times.push(performance.now() - start);
        without.searches += searches;
      },
      async () => {
        searches = 0;
        const cache = new MemorySearchCache<Hit[]>();
        const start = performance.now();
        await Promise.all(Array.from({ length: CONCURRENCY }, () => cache.search(query, search)));
        withCache.times.push(performance.now() - start);
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
      ['no cache', String(without.searches / ROUNDS), formatDuration(withoutMedian), ''],
      [
        'MemorySearchCache (cold)',
        String(withCache.searches / ROUNDS),
        formatDuration(withMedian),
        formatRatio(withoutMedian / withMedian),
      ],
    ],
  );
}
