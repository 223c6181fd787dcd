import { collectGarbage, formatDuration, formatRatio, median, printTable, sized } from '@lunar/dev-kit';
import { type CacheEntry, LLMCache, MemoryCacheStore } from '../src/index.js';
import { ClassicSortOnEvictCache } from './classic-cache.js';

const CAPACITY = 1_000;
const INSERTS = sized(100_000, 3_000);
/** Per-insert cost is reported for these ranges of the insert count. */
const PHASES: Array<[number, number]> = (
  [
    [0, 1_000],
    [1_000, 10_000],
    [10_000, 100_000],
  ] as Array<[number, number]>
)
  .filter(([from]) => from < INSERTS)
  .map(([from, to]) => [from, Math.min(to, INSERTS)]);

function entryFor(index: number): CacheEntry {
  return {
    version: 1,
    route: 'generate',
    chunks: [{ model: 'm', response: `answer ${index}`, done: true }],
    streamed: false,
    timings: [],
    durationMs: 1,
    createdAt: 0,
    size: 200,
  };
}

const BATCH = 500;

/**
 * Per phase and per contestant, the median over batches of 500 inserts of the mean ms per insert.
 * Batches alternate between the contestants, so both see the same machine (GC, other load).
 */
function timePhases(contestants: Array<(index: number) => void>): number[][] {
  return PHASES.map(([from, to]) => {
    const batches: number[][] = contestants.map(() => []);
    for (let batch = from; batch < to; batch += BATCH) {
      contestants.forEach((insert, contestant) => {
        const started = performance.now();
        for (let index = batch; index < batch + BATCH; index++) insert(index);
        batches[contestant]!.push((performance.now() - started) / BATCH);
      });
    }
    return batches.map(median);
  });
}

/** Bench 2: 100,000 distinct inserts into a cache of 1,000, against the classic sort-on-evict design. */
export async function insertFlatBench(): Promise<void> {
  const keys = Array.from(
    { length: INSERTS },
    (_, index) => `llmc1:default:${index.toString(36).padStart(43, '0')}`,
  );
  const entries = keys.map((_, index) => entryFor(index));

  // Warm both code paths on throwaway instances first.
  for (let round = 0; round < sized(3, 1); round++) {
    const warmStore = new MemoryCacheStore({ maxEntries: CAPACITY });
    for (let index = 0; index < INSERTS; index++) warmStore.set(keys[index]!, entries[index]!, 60_000);
  }
  const warmClassic = new ClassicSortOnEvictCache<CacheEntry>(CAPACITY);
  for (let index = 0; index < 3_000; index++) warmClassic.set(keys[index]!, entries[index]!);

  collectGarbage();
  const store = new MemoryCacheStore({ maxEntries: CAPACITY });
  const classic = new ClassicSortOnEvictCache<CacheEntry>(CAPACITY);
  const phases = timePhases([
    (index) => store.set(keys[index]!, entries[index]!, 60_000),
    (index) => classic.set(keys[index]!, entries[index]!),
  ]);
  const ours = phases.map((phase) => phase[0]!);
  const theirs = phases.map((phase) => phase[1]!);

  // The whole public path: key a distinct request, miss, compute, store.
  collectGarbage();
  const cache = new LLMCache({ maxEntries: CAPACITY });
  const value = { model: 'm', response: 'ok', done: true };
  const full: number[] = [];
  for (const [from, to] of PHASES) {
    const batches: number[] = [];
    for (let batch = from; batch < to; batch += BATCH) {
      const started = performance.now();
      for (let index = batch; index < batch + BATCH; index++) {
        await cache.getOrCompute(
          { model: 'm', prompt: `question ${index}`, options: { temperature: 0 } },
          () => value,
        );
      }
      batches.push((performance.now() - started) / BATCH);
    }
    full.push(median(batches));
  }
  if (store.stats().entries !== CAPACITY || classic.size !== CAPACITY || cache.stats().entries !== CAPACITY) {
    throw new Error('a cache did not hold exactly its capacity');
  }

  printTable(
    `2. ${INSERTS.toLocaleString('en')} distinct inserts into a cache of ${CAPACITY.toLocaleString('en')}: median time per insert over batches of 500, interleaved (goal: flat; >= 100x the classic design when full)`,
    [
      'inserts',
      'MemoryCacheStore.set',
      'classic sort-on-evict',
      'faster',
      'LLMCache.getOrCompute miss+store',
    ],
    PHASES.map(([from, to], phase) => [
      `${from.toLocaleString('en')}-${to.toLocaleString('en')}`,
      formatDuration(ours[phase]!),
      formatDuration(theirs[phase]!),
      from < CAPACITY ? '(not full yet)' : formatRatio(theirs[phase]! / ours[phase]!),
      formatDuration(full[phase]!),
    ]),
  );
}
