import { type OllamaSim, startOllamaSim } from '@lunar/ollama-sim';
import { DEFAULT_OLLAMA_HOST, type HostProbe, OllamaClient, parseOllamaHost } from '@lunar/ollama-stream';
import type { FastifyBaseLogger } from 'fastify';

export interface Backend {
  ollamaHosts: string[];
  /** The in-process simulator, when no Ollama answered and none was named. */
  sim: OllamaSim | undefined;
}

export interface BackendOptions {
  /** Hosts named on the command line (`--ollama-host`). */
  ollamaHosts: readonly string[];
  /** `OLLAMA_HOST`. */
  ollamaHost: string | undefined;
  log: FastifyBaseLogger;
  probeTimeoutMs?: number;
}

/** Probes `hosts` once with a client of their own, closed afterwards. */
async function probeOnce(hosts: string[], timeoutMs: number): Promise<HostProbe[]> {
  const client = new OllamaClient({ hosts });
  try {
    return await client.probe({ timeoutMs });
  } finally {
    await client.close();
  }
}

/**
 * The same backend rule as the CLI. Named hosts are used as given: if none answers, the server
 * still starts (with a warning) and `/readyz` says 503 until one does, so an Ollama that starts
 * after the server is picked up. With none named, Ollama is looked for at `OLLAMA_HOST` (or its
 * default); if nothing answers there, the simulator starts in-process (`seed` profile) and the log
 * says so plainly.
 */
export async function resolveBackend(options: BackendOptions): Promise<Backend> {
  const timeoutMs = options.probeTimeoutMs ?? 1_500;
  const { log } = options;
  if (options.ollamaHosts.length > 0) {
    const ollamaHosts = options.ollamaHosts.map((url, index) =>
      parseOllamaHost(url, `--ollama-host #${index + 1}`),
    );
    const health = await probeOnce(ollamaHosts, timeoutMs);
    if (!health.some((host) => host.ok)) {
      const reasons = health.map((host) => host.error?.message).join(' ');
      log.warn(`no Ollama host answers yet: ${reasons} Starting anyway: /readyz answers 503 until one does.`);
    }
    return { ollamaHosts, sim: undefined };
  }
  const host = parseOllamaHost(options.ollamaHost ?? DEFAULT_OLLAMA_HOST);
  const [health] = await probeOnce([host], timeoutMs);
  if (health?.ok) {
    log.info(`using Ollama ${health.version} at ${host}`);
    return { ollamaHosts: [host], sim: undefined };
  }
  const sim = await startOllamaSim({ profile: 'seed' });
  log.warn(
    `no Ollama answered at ${host} (${health?.error?.message}): serving with the built-in Ollama simulator at ${sim.url} (seed profile: scripted answers, not a real model). Start Ollama or pass --ollama-host to use a real one.`,
  );
  return { ollamaHosts: [sim.url], sim };
}
