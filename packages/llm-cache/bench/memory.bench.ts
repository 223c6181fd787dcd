import { InMemoryCache } from '@langchain/core/caches';
import { collectGarbage, formatBytes, formatRatio, printTable, sized } from '@lunar/dev-kit';
import { LLMCache, type LLMChunk } from '../src/index.js';

const ANSWERS = sized(100_000, 2_000);
const MAX_BYTES = 8 * 1024 * 1024;
const CHUNKS = 16;
const CHUNK_TEXT = 256; // 16 x 256 characters: a 4 KB answer

/** A distinct 4 KB streamed answer, fresh objects and strings as a network client would produce. */
async function* answer(index: number): AsyncGenerator<LLMChunk> {
  for (let chunk = 0; chunk < CHUNKS; chunk++) {
    yield {
      model: 'llama3.2:3b',
      created_at: new Date(1_750_000_000_000 + index * 1000 + chunk).toISOString(),
      message: { role: 'assistant', content: `${index}:${chunk} `.padEnd(CHUNK_TEXT, 'lorem ipsum dolor ') },
      done: false,
    };
  }
  yield {
    model: 'llama3.2:3b',
    message: { role: 'assistant', content: '' },
    done: true,
    done_reason: 'stop',
  };
}

function heapUsed(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

/** Bench 3: 100,000 distinct 4 KB answers into maxBytes 8 MiB; heap growth against the bound. */
export async function memoryBench(): Promise<void> {
  if (typeof (globalThis as { gc?: unknown }).gc !== 'function') {
    console.log('\n3. Memory: skipped (run with node --expose-gc; `pnpm bench` does)');
    return;
  }
  const before = heapUsed();
  const cache = new LLMCache({ maxBytes: MAX_BYTES }); // maxEntries: the default, 10,000
  for (let index = 0; index < ANSWERS; index++) {
    const request = { model: 'llama3.2:3b', prompt: `question ${index}`, options: { temperature: 0 } };
    for await (const _chunk of await cache.stream(request, () => answer(index)));
  }
  const growth = heapUsed() - before;
  const stats = cache.stats();

  // The rival keeps everything: LangChain's InMemoryCache is a Map with no bound.
  const langchainBefore = heapUsed();
  const langchain = new InMemoryCache();
  for (let index = 0; index < ANSWERS; index++) {
    let text = '';
    for await (const chunk of answer(index)) text += chunk.message?.content ?? '';
    await langchain.update(`question ${index}`, 'llama3.2:3b temperature=0', [{ text }]);
  }
  const langchainGrowth = heapUsed() - langchainBefore;

  printTable(
    `3. Memory: ${ANSWERS.toLocaleString('en')} distinct 4 KB streamed answers, maxBytes ${formatBytes(MAX_BYTES)} (goal: heap growth near the bound)`,
    ['cache', 'entries kept', 'bytes counted', 'heap growth', 'growth / bound'],
    [
      [
        'LLMCache (memory store)',
        String(stats.entries),
        formatBytes(stats.bytes ?? 0),
        formatBytes(growth),
        formatRatio(growth / MAX_BYTES),
      ],
      [
        'LangChain InMemoryCache (no bound)',
        ANSWERS.toLocaleString('en'),
        '-',
        formatBytes(langchainGrowth),
        formatRatio(langchainGrowth / MAX_BYTES),
      ],
    ],
  );
  if (langchain === undefined) throw new Error('unreachable'); // keep the rival alive until measured
}
