import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type OllamaSim, type OllamaSimOptions, startOllamaSim } from '@lunar/ollama-sim';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { OllamaProxy, type OllamaProxyOptions } from '../src/index.js';

export const MODEL = 'llama3.2:3b';
export const EMBED_MODEL = 'nomic-embed-text';

export interface Harness {
  sim: OllamaSim;
  proxy: OllamaProxy;
  server: Server;
  /** The proxy's base URL. */
  url: string;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1, port 0; resolves to the base URL. */
export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A `fast` simulator (models preloaded) and the proxy in front of it on a plain `node:http` server. */
export async function startHarness(
  proxyOptions: OllamaProxyOptions = {},
  simOptions: OllamaSimOptions = {},
): Promise<Harness> {
  const sim = await startOllamaSim({ profile: 'fast', preload: [MODEL, EMBED_MODEL], ...simOptions });
  const proxy = new OllamaProxy({ hosts: [sim.url], ...proxyOptions });
  const server = createServer(proxy.handle);
  const url = await listen(server);
  return {
    sim,
    proxy,
    server,
    url,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await proxy.close();
      await sim.close();
    },
  };
}

export { ndjsonLines, postJson } from '@lunar/dev-kit';

/**
 * One harness for a test file: started before its tests, closed after them, the simulator's stats
 * and faults cleared before each. Call it at the top of the file; read the harness in the tests.
 */
export function harnessPerFile(
  proxyOptions: OllamaProxyOptions = {},
  simOptions: OllamaSimOptions = {},
): () => Harness {
  let harness: Harness | undefined;
  beforeAll(async () => {
    harness = await startHarness(proxyOptions, simOptions);
  });
  afterAll(() => harness?.close());
  beforeEach(() => {
    harness!.sim.clearFaults();
    harness!.sim.resetStats();
  });
  return () => harness!;
}
