import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startOllamaSim } from '@lunar/ollama-sim';

// Infinity (an allowed speed: no wait at all) does not survive JSON, so it travels as a string.
const sim = await startOllamaSim(
  JSON.parse(process.argv[2] ?? '{}', (_key, value) =>
    value === 'Infinity' ? Number.POSITIVE_INFINITY : value,
  ),
);
let replay: Server | undefined;
process.send?.({ url: sim.url });

/** A server that answers every request with the same recorded NDJSON, written all at once. */
async function startReplay(body: string): Promise<string> {
  const bytes = Buffer.from(body);
  replay = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/x-ndjson' });
      response.end(bytes);
    });
  });
  replay.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => replay!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(replay.address() as AddressInfo).port}`;
}

process.on('message', async (message: string | { replay: string }) => {
  if (typeof message === 'object') process.send?.({ url: await startReplay(message.replay) });
  else if (message === 'stats') process.send?.({ stats: sim.stats() });
  else if (message === 'reset') {
    sim.resetStats();
    process.send?.({ done: true });
  } else if (message === 'close') {
    replay?.closeAllConnections();
    replay?.close();
    await sim.close();
    process.send?.({ done: true });
    process.disconnect();
  }
});
