// The memory-search cache against the real hybrid search it saves: a 10,000-memory store
// (SQLite FTS5 + sqlite-vec, fused), the same queries, uncached and then served from the cache.
import { performance } from 'node:perf_hooks';
import { percentile } from '@lunar/dev-kit';
import { HashEmbedder, type MemorySearchResult, SqliteMemoryStore } from '@lunar/memory';
import { MemorySearchCache } from '@lunar/memory-cache';

const TOPICS = [
  'cooking',
  'travel',
  'music',
  'gardening',
  'running',
  'books',
  'films',
  'coffee',
  'tax',
  'health',
];
const PLACES = ['Paris', 'Tokyo', 'Lisbon', 'Oslo', 'Nairobi', 'Lima', 'Seoul', 'Dublin', 'Quito', 'Accra'];

export interface MemoryCacheBenchResult {
  memories: number;
  searchP50Us: number;
  searchP99Us: number;
  hitP50Us: number;
  hitP99Us: number;
  ratioP50: number;
}

export async function benchMemoryCache(memories = 10_000, queries = 200): Promise<MemoryCacheBenchResult> {
  const store = SqliteMemoryStore.open({ path: ':memory:', embedder: new HashEmbedder({ dimensions: 768 }) });
  try {
    for (let start = 0; start < memories; start += 1_000) {
      const batch = Array.from({ length: Math.min(1_000, memories - start) }, (_, offset) => {
        const index = start + offset;
        return {
          text: `Memory ${index}: the user talked about ${TOPICS[index % 10]} in ${PLACES[(index * 7) % 10]} with friend ${index % 97}.`,
        };
      });
      await store.addMany(batch);
    }
    const questions = Array.from(
      { length: queries },
      (_, index) => `what did I say about ${TOPICS[index % 10]} in ${PLACES[(index * 3) % 10]}?`,
    );
    const search = (query: string) => store.search(query, { k: 5 });
    const uncached: number[] = [];
    for (const question of questions) {
      const started = performance.now();
      await search(question);
      uncached.push((performance.now() - started) * 1_000);
    }
    const cache = new MemorySearchCache<MemorySearchResult[]>();
    for (const question of questions) await cache.search(question, (query) => search(query));
    const hits: number[] = [];
    for (let round = 0; round < 5; round++) {
      for (const question of questions) {
        const started = performance.now();
        await cache.search(question, (query) => search(query));
        hits.push((performance.now() - started) * 1_000);
      }
    }
    const searchP50Us = percentile(uncached, 0.5);
    const hitP50Us = percentile(hits, 0.5);
    return {
      memories,
      searchP50Us,
      searchP99Us: percentile(uncached, 0.99),
      hitP50Us,
      hitP99Us: percentile(hits, 0.99),
      ratioP50: searchP50Us / hitP50Us,
    };
  } finally {
    await store.close();
  }
}

export function formatMemoryCacheBench(result: MemoryCacheBenchResult): string {
  const us = (value: number) =>
    value >= 1_000 ? `${(value / 1_000).toFixed(2)} ms` : `${value.toFixed(1)} us`;
  return [
    `Memory search over ${result.memories.toLocaleString('en-US')} memories (hybrid BM25 + vectors), k = 5`,
    '| path | p50 | p99 |',
    '|---|---:|---:|',
    `| hybrid search, no cache | ${us(result.searchP50Us)} | ${us(result.searchP99Us)} |`,
    `| memory-search cache hit | ${us(result.hitP50Us)} | ${us(result.hitP99Us)} |`,
    `A hit is ${Math.round(result.ratioP50).toLocaleString('en-US')}x faster than the search at p50 (goal: hit p50 under 5 us).`,
  ].join('\n');
}
