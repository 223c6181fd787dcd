import { median, printTable, sized } from '@lunar/dev-kit';
import { parseNdjson } from '../src/index.js';
import { chatNdjson, fixedSize, perLine } from './fixtures.js';
import { type ChunkReader, ollamaJsParseJSON } from './ollama-js-parse.js';

/** The same chunks for both parsers, handed out through equally cheap async sources. */
function iterable(chunks: Uint8Array[]): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator]() {
      let index = 0;
      return {
        next: () =>
          Promise.resolve(
            index < chunks.length
              ? { value: chunks[index++]!, done: false }
              : { value: undefined, done: true },
          ),
      } as AsyncIterator<Uint8Array>;
    },
  };
}

function readable(chunks: Uint8Array[]): { getReader(): ChunkReader } {
  return {
    getReader() {
      let index = 0;
      return {
        read: () =>
          Promise.resolve(index < chunks.length ? { done: false, value: chunks[index++]! } : { done: true }),
        releaseLock() {},
      };
    },
  };
}

async function timeLunar(chunks: Uint8Array[]): Promise<[number, number]> {
  const start = performance.now();
  let count = 0;
  for await (const _ of parseNdjson(iterable(chunks))) count++;
  return [performance.now() - start, count];
}

async function timeOllamaJs(chunks: Uint8Array[]): Promise<[number, number]> {
  const start = performance.now();
  let count = 0;
  for await (const _ of ollamaJsParseJSON(readable(chunks))) count++;
  return [performance.now() - start, count];
}

const LINES = sized(30_000, 2_000);
/** Paired runs measured, after the unmeasured ones. */
const ROUNDS = sized(8, 2);
const WARMUP = sized(3, 1);

export async function parseBench(): Promise<{ ratio: number }> {
  const bytes = chatNdjson(LINES);
  const megabytes = bytes.length / 1e6;
  const cases: Array<[string, Uint8Array[]]> = [
    ['one line per chunk (as Ollama flushes)', perLine(bytes)],
    ['64 KiB chunks (a reader that fell behind)', fixedSize(bytes, 64 * 1024)],
    ['7-byte chunks (lines and characters split)', fixedSize(bytes, 7)],
  ];
  const rows: string[][] = [];
  let firstRatio = 0;
  for (const [name, chunks] of cases) {
    const lunar: number[] = [];
    const rival: number[] = [];
    const ratios: number[] = [];
    for (let round = 0; round < WARMUP + ROUNDS; round++) {
      // Alternate which parser goes first; pair the two runs of a round into one ratio.
      const [rivalMs, rivalCount] = round % 2 === 0 ? await timeOllamaJs(chunks) : [0, 0];
      const [lunarMs, lunarCount] = await timeLunar(chunks);
      const [rivalLateMs, rivalLateCount] =
        round % 2 === 1 ? await timeOllamaJs(chunks) : [rivalMs, rivalCount];
      if (lunarCount !== LINES + 1 || rivalLateCount !== LINES + 1) throw new Error('the parsers disagree');
      if (round < WARMUP) continue;
      lunar.push(lunarMs);
      rival.push(rivalLateMs);
      ratios.push(rivalLateMs / lunarMs);
    }
    const ratio = median(ratios);
    if (firstRatio === 0) firstRatio = ratio;
    rows.push([
      name,
      `${(megabytes / (median(lunar) / 1000)).toFixed(0)} MB/s`,
      `${(megabytes / (median(rival) / 1000)).toFixed(0)} MB/s`,
      `${ratio.toFixed(2)}x`,
    ]);
  }
  printTable(
    `1. Parse throughput: parseNdjson vs ollama-js parseJSON on the same ${megabytes.toFixed(1)} MB (${LINES + 1} chat lines); medians of ${ROUNDS} paired runs`,
    ['chunking', 'Lunar parseNdjson', 'ollama-js parseJSON', 'Lunar / ollama-js'],
    rows,
  );
  return { ratio: firstRatio };
}
