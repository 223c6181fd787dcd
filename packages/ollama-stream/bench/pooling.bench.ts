import { median, printTable, sized } from '@lunar/dev-kit';
import { OllamaClient } from '../src/index.js';
import { startSimProcess } from './sim-process.js';

const REQUESTS = sized(1000, 50);
const CONCURRENCY = 4;
const ROUNDS = sized(3, 1);

const request = {
  model: 'llama3.2:3b',
  messages: [{ role: 'user', content: 'hi' }],
  options: { num_predict: 4 },
  stream: false as const,
};

/** Run `call` REQUESTS times, CONCURRENCY at a time; returns the wall time in ms. */
async function drive(call: () => Promise<unknown>): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < REQUESTS) await call();
    }),
  );
  return performance.now() - start;
}

export async function poolingBench(): Promise<{ ratio: number }> {
  const sim = await startSimProcess({
    preload: ['llama3.2:3b'],
    parallel: CONCURRENCY,
    latency: {
      loadMs: 0,
      overheadMs: 0,
      promptTokensPerSecond: Number.POSITIVE_INFINITY,
      tokensPerSecond: Number.POSITIVE_INFINITY,
    },
  });
  const pooled = { ms: [] as number[], connections: [] as number[] };
  const fresh = { ms: [] as number[], connections: [] as number[] };
  try {
    const client = new OllamaClient({ host: sim.url });
    await drive(() => client.chat(request)); // warm-up
    for (let round = 0; round < ROUNDS; round++) {
      await client.close().then(() => undefined);
      const shared = new OllamaClient({ host: sim.url });
      await sim.reset();
      pooled.ms.push(await drive(() => shared.chat(request)));
      pooled.connections.push((await sim.stats()).connectionsOpened);
      await shared.close();
      await sim.reset();
      fresh.ms.push(
        await drive(async () => {
          const once = new OllamaClient({ host: sim.url });
          try {
            await once.chat(request);
          } finally {
            await once.close();
          }
        }),
      );
      fresh.connections.push((await sim.stats()).connectionsOpened);
    }
  } finally {
    await sim.close();
  }
  const perSecond = (ms: number) => REQUESTS / (ms / 1000);
  const ratio = perSecond(median(pooled.ms)) / perSecond(median(fresh.ms));
  printTable(
    `3. ${REQUESTS} short chat calls (stream: false), ${CONCURRENCY} at a time: one pooled client vs a connection per call; medians of ${ROUNDS}`,
    ['mode', 'requests/s', 'connections opened'],
    [
      [
        'pooled (one OllamaClient, keep-alive)',
        perSecond(median(pooled.ms)).toFixed(0),
        median(pooled.connections).toFixed(0),
      ],
      [
        'one connection per call',
        perSecond(median(fresh.ms)).toFixed(0),
        median(fresh.connections).toFixed(0),
      ],
      ['pooled / per call', `${ratio.toFixed(2)}x`, ''],
    ],
  );
  return { ratio };
}
