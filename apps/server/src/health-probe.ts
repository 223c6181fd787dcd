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

function reasonOf(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return error.name === 'TimeoutError' ? 'no answer in time' : `${error.message}${cause}`;
  }
  return String(error);
}

async function probe(url: string, timeoutMs: number): Promise<UpstreamHealth> {
  const startedAt = performance.now();
  const ms = () => Math.round((performance.now() - startedAt) * 10) / 10;
  try {
    const response = await fetch(`${url}/api/version`, { signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    if (!response.ok) return { url, ok: false, error: `/api/version answered ${response.status}`, ms: ms() };
    const version = (JSON.parse(text) as { version?: unknown }).version;
    if (typeof version !== 'string') return { url, ok: false, error: 'not an Ollama server', ms: ms() };
    return { url, ok: true, version, ms: ms() };
  } catch (error) {
    return { url, ok: false, error: reasonOf(error), ms: ms() };
  }
}

/**
 * Asks every upstream host for `/api/version`, each with a deadline. Probes made while one is
 * running share it, so a flood of health checks sends one request per host.
 */
export class HealthProbe {
  readonly #urls: () => string[];
  readonly #timeoutMs: number;
  #running: Promise<UpstreamHealth[]> | undefined;

  constructor(urls: () => string[], timeoutMs = 2_000) {
    this.#urls = urls;
    this.#timeoutMs = timeoutMs;
  }

  check(): Promise<UpstreamHealth[]> {
    this.#running ??= Promise.all(this.#urls().map((url) => probe(url, this.#timeoutMs))).finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }
}
