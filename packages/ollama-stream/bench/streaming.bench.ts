import { median, printTable, sized } from '@lunar/dev-kit';
import { Ollama } from 'ollama';
import { OllamaClient } from '../src/index.js';
import { startSimProcess } from './sim-process.js';

const TOKENS = sized(10_000, 500);
const WARMUP = sized(6, 1);
const ROUNDS = sized(8, 2);

interface Run {
  ms: number;
  cpuMs: number;
  chunks: number;
}

async function measure(consume: () => Promise<number>): Promise<Run> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const chunks = await consume();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000, chunks };
}

const request = { model: 'llama3.2:3b', messages: [{ role: 'user', content: 'Tell me a long story' }] };

/** Lunar and ollama-js stream from `url`, alternating, several rounds; medians. */
async function compare(url: string): Promise<{ lunar: Run[]; rival: Run[] }> {
  const lunar = new OllamaClient({ host: url });
  const ollamaJs = new Ollama({ host: url });
  const runLunar = async () => {
    let chunks = 0;
    for await (const _ of lunar.chat(request)) chunks++;
    return chunks;
  };
  const runOllamaJs = async () => {
    let chunks = 0;
    for await (const _ of await ollamaJs.chat({ ...request, stream: true })) chunks++;
    return chunks;
  };
  const runs = { lunar: [] as Run[], rival: [] as Run[] };
  try {
    for (let round = 0; round < ROUNDS + WARMUP; round++) {
      const lunarFirst = round % 2 === 0;
      const a = await measure(lunarFirst ? runLunar : runOllamaJs);
      const b = await measure(lunarFirst ? runOllamaJs : runLunar);
      if (round < WARMUP) continue;
      runs.lunar.push(lunarFirst ? a : b);
      runs.rival.push(lunarFirst ? b : a);
    }
  } finally {
    await lunar.close();
  }
  if ([...runs.lunar, ...runs.rival].some((run) => run.chunks !== TOKENS + 1)) {
    throw new Error('a client saw the wrong number of chunks');
  }
  return runs;
}

const rate = (runs: Run[]) => median(runs.map((run) => run.chunks / (run.ms / 1000)));
const cpu = (runs: Run[]) => median(runs.map((run) => (run.cpuMs * 1000) / run.chunks));

export async function streamingBench(): Promise<{ ratio: number; cpuRatio: number }> {
  const sim = await startSimProcess({
    models: [{ name: 'llama3.2:3b', capabilities: ['completion'], answerTokens: TOKENS }],
    preload: ['llama3.2:3b'],
    latency: {
      loadMs: 0,
      overheadMs: 0,
      promptTokensPerSecond: Number.POSITIVE_INFINITY,
      tokensPerSecond: Number.POSITIVE_INFINITY,
    },
  });
  const rows: string[][] = [];
  let result = { ratio: 0, cpuRatio: 0 };
  try {
    const live = await compare(sim.url);
    // The simulator's own bytes for the same answer, recorded once and replayed in one write:
    // the server costs nothing, so the clients' own speed shows.
    const recorded = await (
      await fetch(`${sim.url}/api/chat`, { method: 'POST', body: JSON.stringify(request) })
    ).text();
    const replayed = await compare(await sim.replay(recorded));
    for (const [name, runs] of [
      ['simulator, one line per write', live],
      ['recorded answer, one write', replayed],
    ] as const) {
      const ratio = rate(runs.lunar) / rate(runs.rival);
      const cpuRatio = cpu(runs.rival) / cpu(runs.lunar);
      if (result.ratio === 0) result = { ratio, cpuRatio };
      rows.push([
        name,
        rate(runs.lunar).toFixed(0),
        rate(runs.rival).toFixed(0),
        `${ratio.toFixed(2)}x`,
        `${cpu(runs.lunar).toFixed(2)} µs`,
        `${cpu(runs.rival).toFixed(2)} µs`,
        `${cpuRatio.toFixed(2)}x`,
      ]);
    }
  } finally {
    await sim.close();
  }
  printTable(
    `2. Streaming a ${TOKENS}-token chat answer (server in its own process, zero latency): Lunar vs ollama-js; medians of ${ROUNDS}`,
    [
      'server',
      'Lunar chunks/s',
      'ollama-js chunks/s',
      'ratio',
      'Lunar CPU/chunk',
      'ollama-js CPU/chunk',
      'CPU ratio',
    ],
    rows,
  );
  return result;
}
