import { formatDuration, formatRatio, printTable, race, sized, waitFor } from '@lunar/dev-kit';
import { LLMCache } from '@lunar/llm-cache';
import { Redis } from 'ioredis';
import { RedisCacheStore } from '../src/index.js';
import { gpuSimulator, question } from './sim.js';

/**
 * Bench 2: why long values are gzipped. A streamed answer recorded from the simulator (one chunk a
 * token, the same fields repeated in each) stored as plain JSON and as gzip level 1: bytes in
 * Redis, and the Redis tier hit latency (local tier off) of each.
 */
export async function valueFormatBench(redisUrl: string): Promise<void> {
  const { client, close } = await gpuSimulator();
  const admin = new Redis(redisUrl);
  const json = new RedisCacheStore({
    redis: redisUrl,
    prefix: 'bench:json:',
    local: false,
    compressAboveBytes: Number.POSITIVE_INFINITY,
    logger: false,
  });
  const gzip = new RedisCacheStore({ redis: redisUrl, prefix: 'bench:gzip:', local: false, logger: false });
  try {
    await Promise.all([json.whenReady(), gzip.whenReady()]);
    const request = { ...question('format'), stream: true as const };
    const caches = { json: new LLMCache({ store: json }), gzip: new LLMCache({ store: gzip }) };
    const start = (signal: AbortSignal) => client.chat(request, { signal });
    for (const cache of Object.values(caches)) for await (const _chunk of await cache.stream(request, start));
    const key = caches.json.key(request);
    for (const prefix of ['bench:json:', 'bench:gzip:']) {
      await waitFor(async () => (await admin.exists(`${prefix}entry:${key}`)) === 1, {
        message: `${prefix} entry stored`,
      });
    }
    const bytes = {
      json: (await admin.getBuffer(`bench:json:entry:${key}`))?.length ?? 0,
      gzip: (await admin.getBuffer(`bench:gzip:entry:${key}`))?.length ?? 0,
    };
    const chunks = JSON.parse((await admin.get(`bench:json:entry:${key}`)) ?? '{"chunks":[]}').chunks.length;
    const replay = (cache: LLMCache) => async () => {
      const stream = await cache.stream(request, start);
      if (stream.status !== 'hit') throw new Error(`expected a hit, got a ${stream.status}`);
      for await (const _chunk of stream);
    };
    const results = await race(
      { json: replay(caches.json), gzip: replay(caches.gzip) },
      sized({ warmup: 300, rounds: 10, perRound: 200 }, { warmup: 3, rounds: 2, perRound: 3 }),
    );
    printTable(
      `2. Value format: a streamed answer of ${chunks} chunks, read back whole from the Redis tier`,
      ['format', 'bytes in Redis', 'size vs JSON', 'hit p50', 'hit p99'],
      (['json', 'gzip'] as const).map((name) => [
        name === 'json' ? 'JSON' : 'gzip level 1 (default above 1 KiB)',
        String(bytes[name]),
        formatRatio(bytes[name] / bytes.json),
        formatDuration(results[name].p50),
        formatDuration(results[name].p99),
      ]),
    );
  } finally {
    admin.disconnect();
    await Promise.all([json.close(), gzip.close()]);
    await close();
  }
}
