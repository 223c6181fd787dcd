// Hybrid memory search over a ':memory:' store of generated memories, embedded by the
// HashEmbedder (so the figures are SQLite + sqlite-vec + fusion, not a model call): search
// latency p50/p99, unscoped and within one scope, and the bulk insert rate. The memory-cache
// benchmark compares its hit latency against `searchP50Ms` from here.
// Run alone: pnpm --filter @lunar/agent exec tsx bench/memory-search.bench.ts
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { HashEmbedder } from '../src/memory/hash-embedder.js';
import { MemoryStore } from '../src/memory/memory-store.js';

export interface MemorySearchBenchOptions {
  /** Memories stored. Default 10,000. */
  memories?: number;
  /** Timed searches per case. Default 300. */
  queries?: number;
  /** Vector length (nomic-embed-text, a common Ollama embedder, has 768). Default 768. */
  dimensions?: number;
  /** Scopes the memories are spread over. Default 10. */
  scopes?: number;
}

export interface LatencyFigures {
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
}

export interface MemorySearchBenchResult {
  memories: number;
  dimensions: number;
  insertPerSecond: number;
  search: LatencyFigures;
  scopedSearch: LatencyFigures;
}

const SUBJECTS = [
  'The user',
  'Ana',
  'My manager',
  'The landlord',
  'Our team',
  'The doctor',
  'Grandma',
  'The client',
];
const VERBS = [
  'prefers',
  'mentioned',
  'asked about',
  'dislikes',
  'booked',
  'forgot',
  'recommended',
  'cancelled',
];
const OBJECTS = [
  'dark roast coffee',
  'the quarterly budget',
  'a trip to Lisbon',
  'vegetarian recipes',
  'the dentist appointment',
  'jazz concerts',
  'the rent increase',
  'a new laptop',
  'running shoes',
  'the project deadline',
  'green tea',
  'the tax return',
  'a birthday present',
  'Italian lessons',
  'the car insurance',
  'hiking boots',
];
const WHEN = [
  'on Monday',
  'next week',
  'every morning',
  'last year',
  'in the evening',
  'before lunch',
  'this weekend',
];
const EXTRA = ['urgent', 'again', 'with friends', 'online', 'twice', 'for the kids', 'at home', 'politely'];

/** mulberry32: a small seeded generator, so every run builds the same memories. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)]!;
}

function memoryText(next: () => number, index: number): string {
  return `${pick(next, SUBJECTS)} ${pick(next, VERBS)} ${pick(next, OBJECTS)} ${pick(next, WHEN)}, ${pick(next, EXTRA)} (note ${index}, code ${Math.floor(next() * 1e6).toString(36)})`;
}

function queryText(next: () => number): string {
  const object = pick(next, OBJECTS);
  return next() < 0.5
    ? `what about ${object}?`
    : `${pick(next, SUBJECTS).toLowerCase()} ${pick(next, VERBS)} ${object}`;
}

function figures(samples: number[]): LatencyFigures {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (quantile: number) => sorted[Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))]!;
  return {
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    meanMs: sorted.reduce((sum, value) => sum + value, 0) / sorted.length,
  };
}

async function timeSearches(
  store: MemoryStore,
  queries: string[],
  scopes: (string | undefined)[],
): Promise<LatencyFigures> {
  for (let index = 0; index < 20; index++)
    await store.search(queries[index]!, { k: 5, scope: scopes[index] });
  const samples: number[] = [];
  for (const [index, query] of queries.entries()) {
    const started = performance.now();
    await store.search(query, { k: 5, scope: scopes[index] });
    samples.push(performance.now() - started);
  }
  return figures(samples);
}

export async function benchMemorySearch(
  options: MemorySearchBenchOptions = {},
): Promise<MemorySearchBenchResult> {
  const { memories = 10_000, queries = 300, dimensions = 768, scopes = 10 } = options;
  const next = random(42);
  const store = MemoryStore.open({ path: ':memory:', embedder: new HashEmbedder({ dimensions }) });
  try {
    const started = performance.now();
    for (let offset = 0; offset < memories; offset += 500) {
      const batch = Array.from({ length: Math.min(500, memories - offset) }, (_, index) => ({
        text: memoryText(next, offset + index),
        scope: `user-${(offset + index) % scopes}`,
      }));
      await store.addMany(batch);
    }
    const insertPerSecond = memories / ((performance.now() - started) / 1000);
    const texts = Array.from({ length: queries }, () => queryText(next));
    const search = await timeSearches(
      store,
      texts,
      texts.map(() => undefined),
    );
    const scopedSearch = await timeSearches(
      store,
      texts,
      texts.map((_, index) => `user-${index % scopes}`),
    );
    return { memories, dimensions, insertPerSecond, search, scopedSearch };
  } finally {
    store.close();
  }
}

export function formatMemorySearchBench(result: MemorySearchBenchResult): string {
  const row = (name: string, value: LatencyFigures) =>
    `| ${name.padEnd(34)} | ${value.p50Ms.toFixed(2).padStart(7)} | ${value.p99Ms.toFixed(2).padStart(7)} | ${value.meanMs.toFixed(2).padStart(7)} |`;
  return [
    `Memory search: ${result.memories.toLocaleString('en')} memories, ${result.dimensions}-d hash embeddings, k = 5`,
    '| search                             | p50 ms  | p99 ms  | mean ms |',
    '| ---------------------------------- | ------- | ------- | ------- |',
    row('hybrid (BM25 + vector), all scopes', result.search),
    row('hybrid, one scope of 10', result.scopedSearch),
    `bulk insert (addMany, 500 a batch): ${Math.round(result.insertPerSecond).toLocaleString('en')} memories/s`,
  ].join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(formatMemorySearchBench(await benchMemorySearch()));
}
