import {
  formatDuration,
  formatSpeedup,
  printTable,
  race,
  type Summary,
  sized,
  summarise,
} from '@lunar/dev-kit';
import { LLMCache } from '@lunar/llm-cache';
import type { ChatRequest } from '@lunar/ollama-stream';
import { RedisCacheStore } from '../src/index.js';
import { gpuSimulator, question } from './sim.js';

/**
 * Bench 1: one answer served three ways through LLMCache: a hit on the local tier, a hit on the
 * Redis tier (local tier off, so every read is a round trip), and a miss computed by the simulator
 * with the `gpu` profile. Whole answers (getOrCompute) and first chunks of streams.
 */
export async function hitLatencyBench(redisUrl: string): Promise<void> {
  const { client, close } = await gpuSimulator();
  const twoTier = new RedisCacheStore({ redis: redisUrl, prefix: 'bench:hit:', logger: false });
  const redisOnly = new RedisCacheStore({
    redis: redisUrl,
    prefix: 'bench:hit:',
    local: false,
    logger: false,
  });
  try {
    await Promise.all([twoTier.whenReady(), redisOnly.whenReady()]);
    const local = new LLMCache({ store: twoTier });
    const remote = new LLMCache({ store: redisOnly });
    const request = question('hit');
    const streamed = { ...question('hit, streamed'), stream: true as const };
    const whole = (signal: AbortSignal) => client.chat({ ...request, stream: false }, { signal });
    const stream = (signal: AbortSignal) => client.chat(streamed, { signal });
    await local.getOrCompute(request, whole);
    for await (const _chunk of await local.stream(streamed, stream));
    const expect = (status: string, wanted: string) => {
      if (status !== wanted) throw new Error(`expected a ${wanted}, got a ${status}`);
    };
    const hits = await race(
      {
        wholeLocal: async () => expect((await local.getOrCompute(request, whole)).status, 'hit'),
        wholeRedis: async () => expect((await remote.getOrCompute(request, whole)).status, 'hit'),
        firstLocal: () => firstChunk(local, streamed, stream, 'hit'),
        firstRedis: () => firstChunk(remote, streamed, stream, 'hit'),
      },
      sized({ warmup: 500, rounds: 10, perRound: 300 }, { warmup: 5, rounds: 2, perRound: 5 }),
    );
    // Misses take about half a second each: fewer of them, each a new question. A streamed miss
    // is timed to its first chunk, then read to the end (untimed) so that it is stored.
    const wholeMisses: number[] = [];
    const firstMisses: number[] = [];
    for (let index = 0; index < sized(7, 2); index++) {
      const fresh = question(`miss ${index}`);
      const call = (signal: AbortSignal) => client.chat({ ...fresh, stream: false }, { signal });
      let started = performance.now();
      expect((await remote.getOrCompute(fresh, call)).status, 'miss');
      wholeMisses.push(performance.now() - started);
      const freshStream = { ...question(`streamed miss ${index}`), stream: true as const };
      started = performance.now();
      const missed = await remote.stream(freshStream, (signal) => client.chat(freshStream, { signal }));
      expect(missed.status, 'miss');
      const iterator = missed[Symbol.asyncIterator]();
      await iterator.next();
      firstMisses.push(performance.now() - started);
      while (!(await iterator.next()).done);
    }
    // The first of each warms the connection up.
    const missed = { wholeMiss: summarise(wholeMisses.slice(1)), firstMiss: summarise(firstMisses.slice(1)) };
    const row = (name: string, sample: Summary, miss: Summary): string[] => [
      name,
      formatDuration(sample.p50),
      formatDuration(sample.p99),
      sample === miss ? '' : formatSpeedup(miss.p50, sample.p50),
    ];
    printTable(
      '1. Latency through LLMCache: local tier hit vs Redis tier hit (local tier off) vs miss on the gpu profile ' +
        '(against the miss: a ratio only where both are above ~1 ms of noise, else the time saved)',
      ['case', 'p50', 'p99', 'against the miss (p50)'],
      [
        row('whole answer, local tier hit', hits.wholeLocal, missed.wholeMiss),
        row('whole answer, Redis tier hit', hits.wholeRedis, missed.wholeMiss),
        row('whole answer, miss (gpu simulator)', missed.wholeMiss, missed.wholeMiss),
        row('stream first chunk, local tier hit', hits.firstLocal, missed.firstMiss),
        row('stream first chunk, Redis tier hit', hits.firstRedis, missed.firstMiss),
        row('stream first chunk, miss (gpu simulator)', missed.firstMiss, missed.firstMiss),
      ],
    );
    console.log(
      `Redis tier hit against local tier hit at p50 (whole answer): ${formatSpeedup(hits.wholeLocal.p50, hits.wholeRedis.p50)}`,
    );
  } finally {
    await Promise.all([twoTier.close(), redisOnly.close()]);
    await close();
  }
}

/** Opens a stream, checks its status, reads its first chunk and leaves. */
async function firstChunk(
  cache: LLMCache,
  request: ChatRequest & { stream: true },
  start: Parameters<LLMCache['stream']>[1],
  wanted: string,
): Promise<void> {
  const stream = await cache.stream(request, start);
  if (stream.status !== wanted) throw new Error(`expected a ${wanted}, got a ${stream.status}`);
  const iterator = stream[Symbol.asyncIterator]();
  await iterator.next();
  await iterator.return?.();
}
