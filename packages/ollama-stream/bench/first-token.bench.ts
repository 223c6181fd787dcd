import { Agent, request as httpRequest } from 'node:http';
import { percentile, printTable, sized } from '@lunar/dev-kit';
import { Ollama } from 'ollama';
import { OllamaClient } from '../src/index.js';
import { startSimProcess } from './sim-process.js';

const SAMPLES = sized(300, 20);
const WARMUP = sized(50, 5);
const OVERHEAD_MS = 0;
// Infinite speeds: the simulator waits for nothing, so every millisecond measured is overhead.
const TOKENS_PER_SECOND = Number.POSITIVE_INFINITY;
const PROMPT_TOKENS_PER_SECOND = Number.POSITIVE_INFINITY;

const body = {
  model: 'llama3.2:3b',
  messages: [{ role: 'user', content: 'Why is the sky blue?' }],
  options: { num_predict: 4 },
};

/** The floor: a bare node:http request on a kept-alive socket, stopping the clock at the first byte. */
function bareFirstByte(agent: Agent, url: URL): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let first = 0;
    const outgoing = httpRequest(
      { host: url.hostname, port: url.port, path: '/api/chat', method: 'POST', agent },
      (response) => {
        response.on('data', () => {
          if (first === 0) first = performance.now() - start;
        });
        response.on('end', () => resolve(first));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(JSON.stringify(body));
  });
}

export async function firstTokenBench(): Promise<{ lunarOverheadP50: number }> {
  const sim = await startSimProcess({
    preload: ['llama3.2:3b'],
    latency: {
      loadMs: 0,
      overheadMs: OVERHEAD_MS,
      promptTokensPerSecond: PROMPT_TOKENS_PER_SECOND,
      tokensPerSecond: TOKENS_PER_SECOND,
    },
  });
  const lunar = new OllamaClient({ host: sim.url });
  const ollamaJs = new Ollama({ host: sim.url });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL(sim.url);
  const samples = {
    lunar: [] as number[],
    lunarOwn: [] as number[],
    ollamaJs: [] as number[],
    bare: [] as number[],
  };
  let promptTokens = 0;
  try {
    for (let i = 0; i < SAMPLES + WARMUP; i++) {
      const warm = i < WARMUP;
      let start = performance.now();
      let first = 0;
      const stream = lunar.chat(body);
      for await (const _ of stream) if (first === 0) first = performance.now() - start;
      promptTokens = (await stream.final()).prompt_eval_count ?? 0;
      if (!warm) {
        samples.lunar.push(first);
        samples.lunarOwn.push(stream.timings.firstTokenMs!);
      }
      start = performance.now();
      first = 0;
      for await (const _ of await ollamaJs.chat({ ...body, stream: true })) {
        if (first === 0) first = performance.now() - start;
      }
      if (!warm) samples.ollamaJs.push(first);
      const bare = await bareFirstByte(agent, url);
      if (!warm) samples.bare.push(bare);
    }
  } finally {
    agent.destroy();
    await lunar.close();
    await sim.close();
  }
  // What the simulator is configured to take before the first token: overhead, prefill, one token.
  const configured =
    OVERHEAD_MS + (promptTokens / PROMPT_TOKENS_PER_SECOND) * 1000 + 1000 / TOKENS_PER_SECOND;
  const floor = percentile(samples.bare, 0.5);
  const row = (name: string, values: number[]) => [
    name,
    `${percentile(values, 0.5).toFixed(3)} ms`,
    `${percentile(values, 0.9).toFixed(3)} ms`,
    `${(percentile(values, 0.5) - configured).toFixed(3)} ms`,
    `${(percentile(values, 0.5) - floor).toFixed(3)} ms`,
  ];
  printTable(
    `4. Time to first token; the simulator is configured to take ${configured.toFixed(3)} ms (preloaded model, no waits); ${SAMPLES} calls each, interleaved`,
    ['client', 'TTFT p50', 'TTFT p90', 'p50 - configured', 'p50 - floor'],
    [
      row('Lunar OllamaClient.chat (bench stopwatch)', samples.lunar),
      row('Lunar stream.timings.firstTokenMs', samples.lunarOwn),
      row('ollama-js chat({ stream: true })', samples.ollamaJs),
      row('floor: bare node:http, first byte', samples.bare),
    ],
  );
  return { lunarOverheadP50: percentile(samples.lunar, 0.5) - configured };
}
