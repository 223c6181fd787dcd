import { formatDuration, formatSpeedup, median, printTable, sized } from '@lunar/dev-kit';
import { startOllamaSim } from '@lunar/ollama-sim';
import { type ChatRequest, type ChatResponse, OllamaClient } from '@lunar/ollama-stream';
import { LLMCache } from '../src/index.js';

const UPSTREAM_RUNS = sized(3, 1);
const HITS = sized(200, 5);

/** One agent-like turn; `variant` makes it distinct so the simulator's prefix cache cannot help. */
function turn(variant: number): ChatRequest & { stream: true } {
  return {
    model: 'llama3.2:3b',
    messages: [
      { role: 'system', content: 'You are Lunar, a concise assistant for operations questions.' },
      {
        role: 'user',
        content: `Why did the p99 latency of the checkout service double after deploy ${variant}?`,
      },
    ],
    options: { temperature: 0, num_ctx: 4096 },
    stream: true,
  };
}

/** Times to the first chunk and to the last one, in ms. */
async function timeTurn(
  open: () => Promise<AsyncIterable<ChatResponse>>,
): Promise<[first: number, all: number]> {
  const started = performance.now();
  let first = 0;
  for await (const _chunk of await open()) {
    if (first === 0) first = performance.now() - started;
  }
  return [first, performance.now() - started];
}

/** Bench 4: a cached turn against the simulator's `seed` profile: first chunk with and without the cache. */
export async function firstChunkBench(): Promise<void> {
  const sim = await startOllamaSim({ profile: 'seed', preload: ['llama3.2:3b'] });
  const client = new OllamaClient({ host: sim.url });
  try {
    const cache = new LLMCache();
    const direct: Array<[number, number]> = [];
    const missed: Array<[number, number]> = [];
    for (let run = 0; run < UPSTREAM_RUNS; run++) {
      direct.push(await timeTurn(async () => client.chat(turn(run))));
      const request = turn(100 + run);
      missed.push(await timeTurn(() => cache.stream(request, (signal) => client.chat(request, { signal }))));
    }
    const cached = turn(100);
    const hits: Array<[number, number]> = [];
    for (let run = 0; run < HITS; run++) {
      hits.push(await timeTurn(() => cache.stream(cached, (signal) => client.chat(cached, { signal }))));
    }
    const hit = await cache.stream(cached, () => client.chat(cached));
    if (hit.status !== 'hit') throw new Error('expected a hit');
    await hit.return?.();

    const rows: Array<[string, Array<[number, number]>]> = [
      [`without the cache (simulator direct, ${UPSTREAM_RUNS} runs)`, direct],
      [`through the cache, miss (${UPSTREAM_RUNS} runs)`, missed],
      [`through the cache, hit (${HITS} runs)`, hits],
    ];
    const baseline = median(direct.map(([first]) => first));
    printTable(
      "4. A cached turn against the simulator's `seed` profile (preloaded model): time to first chunk " +
        '(a ratio only where both sides are above ~1 ms of noise, else the time saved)',
      ['path', 'first chunk p50', 'whole answer p50', 'first chunk vs direct'],
      rows.map(([name, samples]) => {
        const first = median(samples.map(([value]) => value));
        const all = median(samples.map(([, value]) => value));
        return [name, formatDuration(first), formatDuration(all), formatSpeedup(baseline, first)];
      }),
    );
    console.log(
      `   simulator requests: ${JSON.stringify(sim.stats().requests)} (${HITS} hits never reached it)`,
    );
  } finally {
    await client.close();
    await sim.close();
  }
}
