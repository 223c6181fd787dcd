import { type OllamaSim, startOllamaSim } from '@lunar/ollama-sim';
import { DEFAULT_OLLAMA_HOST, OllamaClient, parseOllamaHost } from '@lunar/ollama-stream';
import type { FastifyBaseLogger } from 'fastify';
import { HealthProbe, type UpstreamHealth } from './health/health-probe.js';

export interface Backend {
  upstreams: string[];
  /** The in-process simulator, when no Ollama answered and none was named. */
  sim: OllamaSim | undefined;
}

export interface BackendOptions {
  /** Hosts named on the command line (`--upstream`). */
  upstreams: readonly string[];
  /** `OLLAMA_HOST`. */
  ollamaHost: string | undefined;
  log: FastifyBaseLogger;
  probeTimeoutMs?: number;
}

/** Probes `hosts` once with a client of their own, closed afterwards. */
async function probeOnce(hosts: string[], timeoutMs: number): Promise<UpstreamHealth[]> {
  const client = new OllamaClient({ hosts });
  try {
    return await new HealthProbe(client, timeoutMs).check();
  } finally {
    await client.close();
  }
}

/**
 * The same backend rule as the CLI. Named upstreams are used as given: if none answers, the server
 * still starts (with a warning) and `/healthz` says 503 until one does, so an Ollama that starts
 * after the server is picked up. With none named, Ollama is looked for at `OLLAMA_HOST` (or its
 * default); if nothing answers there, the simulator starts in-process (`seed` profile) and the log
 * says so plainly.
 */
export async function resolveBackend(options: BackendOptions): Promise<Backend> {
  const timeoutMs = options.probeTimeoutMs ?? 1_500;
  const { log } = options;
  if (options.upstreams.length > 0) {
    const upstreams = options.upstreams.map((url, index) => parseOllamaHost(url, `--upstream #${index + 1}`));
    const health = await probeOnce(upstreams, timeoutMs);
    if (!health.some((host) => host.ok)) {
      const reasons = health.map((host) => `${host.url} (${host.error})`).join(', ');
      log.warn(`no upstream answers yet: ${reasons}; starting anyway, /healthz answers 503 until one does`);
    }
    return { upstreams, sim: undefined };
  }
  const host = parseOllamaHost(options.ollamaHost ?? DEFAULT_OLLAMA_HOST);
  const [health] = await probeOnce([host], timeoutMs);
  if (health?.ok) {
    log.info(`using Ollama ${health.version} at ${host}`);
    return { upstreams: [host], sim: undefined };
  }
  const sim = await startOllamaSim({ profile: 'seed' });
  log.warn(
    `no Ollama answered at ${host} (${health?.error}): serving with the built-in Ollama simulator at ${sim.url} (seed profile: scripted answers, not a real model). Start Ollama or pass --upstream to use a real one.`,
  );
  return { upstreams: [sim.url], sim };
}
