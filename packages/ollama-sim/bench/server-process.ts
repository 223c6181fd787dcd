/**
 * A server for the benchmark, in its own process (the client gets the other core):
 * `sim <answerTokens> <tokensPerSecond|Infinity>` runs the simulator with zero load, prefill and
 * overhead; `bare <answerTokens>` runs a bare node:http server that writes the same number of
 * NDJSON lines of the same shape. It sends `{ url }` to the parent, answers `stats` with the
 * peak number of generations in flight, and exits on `close`.
 */
import { createServer } from 'node:http';
import { startOllamaSim } from '../src/index.js';

const [kind = 'sim', tokensArgument = '1000', speedArgument = 'Infinity'] = process.argv.slice(2);
const answerTokens = Number(tokensArgument);
const send = (message: unknown) => process.send?.(message);

if (kind === 'sim') {
  const sim = await startOllamaSim({
    parallel: 256,
    latency: {
      loadMs: 0,
      overheadMs: 0,
      promptTokensPerSecond: Number.POSITIVE_INFINITY,
      tokensPerSecond: Number(speedArgument),
    },
    models: [{ name: 'llama3.2:3b', answerTokens }],
    preload: ['llama3.2:3b'],
    script: () => ({ content: `word${' word'.repeat(answerTokens - 1)}` }),
  });
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, sim.stats().generationsInFlight);
  }, 5);
  process.on('message', async (message) => {
    if (message === 'stats') send({ peakInFlight: peak, stats: sim.stats() });
    if (message === 'close') {
      clearInterval(sampler);
      await sim.close();
      process.exit(0);
    }
  });
  send({ url: sim.url });
} else {
  const line = `{"model":"llama3.2:3b","created_at":"2026-01-01T00:00:00.000000000Z","message":{"role":"assistant","content":" word"},"done":false}\n`;
  const final = `{"model":"llama3.2:3b","created_at":"2026-01-01T00:00:00.000000000Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop"}\n`;
  const server = createServer(async (request, response) => {
    for await (const _chunk of request) {
      // read the body like the simulator does
    }
    response.setHeader('Content-Type', 'application/x-ndjson');
    for (let index = 0; index < answerTokens; index++) {
      if (!response.write(line)) await new Promise((resolve) => response.once('drain', resolve));
      if (index % 64 === 63) await new Promise((resolve) => setImmediate(resolve));
    }
    response.end(final);
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    send({ url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` });
  });
  process.on('message', (message) => {
    if (message === 'stats') send({ peakInFlight: 0 });
    if (message === 'close') server.close(() => process.exit(0));
  });
}
