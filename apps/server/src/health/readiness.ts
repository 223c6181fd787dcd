import type { HostProbe, OllamaClient } from '@lunar/ollama-stream';
import type { RedisHealth } from '../redis/redis-sharing.js';
import type { MemoryCheck, MemoryHealth } from './memory-check.js';

/** How long an answer of a host (or of the memory store) serves later readiness checks, in ms. */
export const READINESS_MAX_AGE_MS = 1_000;
/** How long each host (and the memory store) has to answer a readiness check, in ms. */
export const READINESS_TIMEOUT_MS = 2_000;

/** One Ollama host in a readiness report: the probe's answer and the client's view of the host. */
export interface OllamaHostHealth {
  /** Its base URL. */
  host: string;
  /** `up` when it answered `GET /api/version` at the last probe. */
  state: 'up' | 'down';
  /** The version it reported. */
  version?: string;
  /** Why it is down, in words. */
  error?: string;
  /** How long the probe took, in ms. */
  latencyMs: number;
  /** How long ago the probe was sent, in ms (probes are shared for up to a second). */
  ageMs: number;
  /** False while the client skips it after refused connections (several hosts only). */
  inRotation: boolean;
  /** Requests the client sent it (retries and probes included), and attempts that failed before a response. */
  requests: number;
  failures: number;
}

export interface ReadinessReport {
  /**
   * `ok`; `degraded` when Redis or the memory store does not answer (the replica still serves:
   * from its own caches, and turns without memory fail); `unavailable` when no Ollama host
   * answers or the server is shutting down.
   */
  status: 'ok' | 'degraded' | 'unavailable';
  /** Why it is not `ok`, in words. */
  reason?: string;
  replica: string;
  ollama: OllamaHostHealth[];
  memory: MemoryHealth;
  redis?: RedisHealth;
}

export interface ReadinessSources {
  client: Pick<OllamaClient, 'probe' | 'hosts'>;
  memory: MemoryCheck;
  redis?: () => RedisHealth;
  replicaId: string;
}

function hostHealth(probe: HostProbe, client: ReadinessSources['client']): OllamaHostHealth {
  const stats = client.hosts().find((host) => host.url === probe.host);
  return {
    host: probe.host,
    state: probe.ok ? 'up' : 'down',
    ...(probe.ok
      ? { version: probe.version! }
      : { error: probe.error?.message ?? 'no version in its answer' }),
    latencyMs: Math.round(probe.latencyMs * 10) / 10,
    ageMs: Math.max(0, Date.now() - probe.probedAt),
    inRotation: stats === undefined ? probe.ok : !stats.down,
    requests: stats?.requests ?? 0,
    failures: stats?.failures ?? 0,
  };
}

/**
 * Whether this replica can serve: every Ollama host probed over its own connection (never behind
 * traffic), the memory store asked for one row, Redis's state read from its connections. Host
 * probes and the memory read are shared for `READINESS_MAX_AGE_MS`, so a flood of checks costs one
 * request per host and one read per second.
 */
export async function checkReadiness(sources: ReadinessSources): Promise<ReadinessReport> {
  const [probes, memory] = await Promise.all([
    sources.client.probe({ timeoutMs: READINESS_TIMEOUT_MS, maxAgeMs: READINESS_MAX_AGE_MS }),
    sources.memory.check(),
  ]);
  const ollama = probes.map((probe) => hostHealth(probe, sources.client));
  const redis = sources.redis?.();
  const base = { replica: sources.replicaId, ollama, memory, ...(redis === undefined ? {} : { redis }) };
  if (!ollama.some((host) => host.state === 'up')) {
    const reasons = ollama.map((host) => `${host.host}: ${host.error}`).join('; ');
    return { status: 'unavailable', reason: `no Ollama host answers (${reasons})`, ...base };
  }
  const troubles = [
    redis?.state === 'down'
      ? 'Redis does not answer: the caches are local to this replica and conversations are kept here until it is back'
      : undefined,
    memory.state === 'failing'
      ? `the memory store does not answer (${memory.error}): turns fail their memory search until it is back`
      : undefined,
  ].filter((trouble) => trouble !== undefined);
  if (troubles.length > 0) return { status: 'degraded', reason: troubles.join('; '), ...base };
  return { status: 'ok', ...base };
}
