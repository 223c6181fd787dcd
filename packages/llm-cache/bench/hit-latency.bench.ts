import { createHash } from 'node:crypto';
import { InMemoryCache } from '@langchain/core/caches';
import { formatDuration, formatRatio, printTable, race, type Summary, sized } from '@lunar/dev-kit';
import { cacheKey, LLMCache, type LLMChunk, type LLMRequest } from '../src/index.js';
import { answerChunks, conversation } from './conversation.js';

/** The naive canonical key: a sorted deep copy through JSON.stringify, then SHA-256. */
function sortedCopyKey(request: LLMRequest): string {
  const sorted = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sorted);
    if (typeof value !== 'object' || value === null) return value;
    const record = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(record).sort()) out[key] = sorted(record[key]);
    return out;
  };
  const { stream: _stream, keep_alive: _keepAlive, ...rest } = request;
  return createHash('sha256')
    .update(JSON.stringify(sorted(rest)))
    .digest('base64url');
}

/** LangChain keys a chat call by its serialised messages and its serialised call parameters. */
function langchainKeys(request: LLMRequest): [prompt: string, llmKey: string] {
  const { messages, stream: _stream, keep_alive: _keepAlive, ...parameters } = request;
  return [JSON.stringify(messages), JSON.stringify(Object.entries(parameters).sort())];
}

/** Bench 1: a hit on a 20-message (~8 KB) conversation, key included, against LangChain's InMemoryCache. */
export async function hitLatencyBench(): Promise<void> {
  const request = conversation();
  const size = JSON.stringify(request).length;
  const answer = answerChunks(60);
  const cache = new LLMCache();
  const start = async function* (): AsyncGenerator<LLMChunk> {
    yield* answer;
  };
  for await (const _chunk of await cache.stream(request, start));
  const whole = (await cache.getOrCompute(request, async () => answer[0]!)).value;

  const langchain = new InMemoryCache();
  const [prompt, llmKey] = langchainKeys(request);
  await langchain.update(prompt, llmKey, [{ text: JSON.stringify(whole) }]);

  const results = await race(
    {
      getOrCompute: async () => {
        const result = await cache.getOrCompute(request, async () => answer[0]!);
        if (result.status !== 'hit') throw new Error('expected a hit');
      },
      streamFirstChunk: async () => {
        const stream = await cache.stream(request, start);
        await stream.next();
        await stream.return?.();
      },
      langchainLookup: async () => {
        const [p, k] = langchainKeys(request);
        if ((await langchain.lookup(p, k)) === null) throw new Error('expected a hit');
      },
      key: () => cacheKey(request),
      sortedCopyKey: () => sortedCopyKey(request),
    },
    sized({ warmup: 3_000, rounds: 10, perRound: 2_000 }, { warmup: 20, rounds: 2, perRound: 20 }),
  );
  const langchainSample = results.langchainLookup;
  const sorted = results.sortedCopyKey;
  const rows: Array<[string, Summary, string, Summary | undefined]> = [
    ['LLMCache.getOrCompute hit', results.getOrCompute, 'LangChain lookup', langchainSample],
    ['LLMCache.stream hit, first chunk', results.streamFirstChunk, 'LangChain lookup', langchainSample],
    ['LangChain InMemoryCache.lookup', langchainSample, '', undefined],
    ['key only: cacheKey', results.key, 'sorted copy key', sorted],
    ['key only: sorted copy + JSON.stringify + SHA-256', sorted, '', undefined],
  ];
  printTable(
    `1. Hit latency, 20-message conversation (${(size / 1024).toFixed(1)} KB JSON), key included (goal: p50 < 50 us). ` +
      'In-process CPU work measured side by side: the ratio compares CPU cost; a user saves the difference, microseconds.',
    ['case', 'p50', 'p99', 'faster (p50)', 'than'],
    rows.map(([name, sample, rivalName, rival]) => [
      name,
      formatDuration(sample.p50),
      formatDuration(sample.p99),
      rival === undefined ? '' : formatRatio(rival.p50 / sample.p50),
      rivalName,
    ]),
  );
}
