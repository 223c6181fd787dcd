import type { HostProbe, OllamaClient, OllamaError } from '@lunar/ollama-stream';

export interface UpstreamHealth {
  url: string;
  ok: boolean;
  /** What `/api/version` reported, when it answered. */
  version?: string;
  /** Why it is not ok. */
  error?: string;
  /** How long the probe took, in ms. */
  ms: number;
}

/** The system error code under a connection failure (`ECONNREFUSED`), when there is one. */
function systemCode(error: unknown): string | undefined {
  if (error instanceof AggregateError) return systemCode(error.errors[0]);
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A short reason for `/healthz` and the start-up log: the URL is already beside it. */
function reasonOf(error: OllamaError | undefined, timeoutMs: number): string {
  if (error === undefined) return 'no version in the answer';
  switch (error.code) {
    case 'OLLAMA_TIMEOUT':
      return `no answer within ${timeoutMs} ms`;
    case 'OLLAMA_UNREACHABLE': {
      const code = systemCode(error.cause);
      return code === undefined ? 'unreachable' : `unreachable (${code})`;
    }
    case 'OLLAMA_HTTP_ERROR':
    case 'OLLAMA_MODEL_NOT_FOUND':
    case 'OLLAMA_BUSY':
      return `/api/version answered ${error.status}`;
    case 'OLLAMA_PROTOCOL_ERROR':
      return `not an Ollama answer: ${error.message}`;
    default:
      return error.message;
  }
}

function health(probe: HostProbe, timeoutMs: number): UpstreamHealth {
  const ms = Math.round(probe.latencyMs * 10) / 10;
  if (probe.ok) return { url: probe.host, ok: true, version: probe.version!, ms };
  return { url: probe.host, ok: false, error: reasonOf(probe.error, timeoutMs), ms };
}

/**
 * Asks every upstream host for `/api/version` with the client's `probe()` (each host directly,
 * within a deadline; a host that refuses goes out of the client's rotation, one that answers comes
 * back into it). Probes made while one is running share it, so a flood of health checks sends one
 * request per host.
 */
export class HealthProbe {
  readonly #client: Pick<OllamaClient, 'probe'>;
  readonly #timeoutMs: number;
  #running: Promise<UpstreamHealth[]> | undefined;

  constructor(client: Pick<OllamaClient, 'probe'>, timeoutMs = 2_000) {
    this.#client = client;
    this.#timeoutMs = timeoutMs;
  }

  check(): Promise<UpstreamHealth[]> {
    const timeoutMs = this.#timeoutMs;
    this.#running ??= this.#client
      .probe({ timeoutMs })
      .then((probes) => probes.map((probe) => health(probe, timeoutMs)))
      .finally(() => {
        this.#running = undefined;
      });
    return this.#running;
  }
}
