import { isOllamaError, OllamaError } from './errors.js';
import type { ClientContext } from './exchange.js';
import type { HostRecord } from './host-pool.js';
import { checkOptions, nonNegativeInteger, positiveInteger } from './options.js';
import { requestJson } from './request-json.js';
import { RequestScope } from './request-scope.js';
import { versionResponseSchema } from './response-schemas.js';
import { formatMs } from './timeout-error.js';
import { validate } from './validate.js';

export interface ProbeOptions {
  /** How long each host has to answer, in ms. Default 2000. */
  timeoutMs?: number;
  /**
   * Reuse a host's probe sent less than this many ms ago, answered or still in flight, instead of
   * sending another: a flood of health checks then costs one request per host per `maxAgeMs`.
   * Default 0 (every call probes).
   */
  maxAgeMs?: number;
  /** Aborting it ends this call's wait: `probe()` rejects with OLLAMA_ABORTED. */
  signal?: AbortSignal;
}

/** One host's answer to a probe. */
export interface HostProbe {
  /** Base URL of the host. */
  host: string;
  /** True when it answered `GET /api/version` with 2xx and a version. */
  ok: boolean;
  /** The version it reported, when `ok`. */
  version?: string;
  /** From sending the probe to its answer or failure, in ms. */
  latencyMs: number;
  /** When the probe was sent, in ms since the epoch (as `Date.now()`): a reused answer is older. */
  probedAt: number;
  /** Why it is not `ok`: OLLAMA_UNREACHABLE, OLLAMA_TIMEOUT, OLLAMA_HTTP_ERROR, OLLAMA_PROTOCOL_ERROR... */
  error?: OllamaError;
}

const PROBE_OPTIONS = new Set(['timeoutMs', 'maxAgeMs', 'signal']);
const DEFAULT_PROBE_TIMEOUT_MS = 2000;

/** Check `probe()`'s options, naming a bad one. */
export function resolveProbeOptions(options: unknown): Required<Omit<ProbeOptions, 'signal'>> & ProbeOptions {
  checkOptions(options, PROBE_OPTIONS, 'probe options');
  const { timeoutMs, maxAgeMs, signal } = options as ProbeOptions;
  return {
    timeoutMs: positiveInteger('timeoutMs', timeoutMs, DEFAULT_PROBE_TIMEOUT_MS),
    maxAgeMs: nonNegativeInteger('maxAgeMs', maxAgeMs, 0),
    signal,
  };
}

/** One probe of one host, which several callers may wait on. */
interface SharedProbe {
  /** performance.now() when it was sent. */
  readonly sentAt: number;
  readonly scope: RequestScope;
  readonly result: Promise<HostProbe>;
  settled: boolean;
  /** Callers waiting on it now; when the last one leaves before it settles, it is aborted. */
  waiters: number;
}

/**
 * The client's probes: `GET /api/version` on each host over the host's own probe connection (not
 * the pool), no retries, within `timeoutMs`. A host that cannot be reached counts a failure and,
 * with several hosts, is taken out of rotation as a failed call would take it; a skipped host that
 * answers is put back at once. With `maxAgeMs`, callers share a host's recent probe. At most one
 * probe per host is kept.
 */
export class Prober {
  readonly #context: ClientContext;
  readonly #headers: Record<string, string>;
  readonly #last = new Map<HostRecord, SharedProbe>();

  constructor(context: ClientContext, headers: Record<string, string>) {
    this.#context = context;
    this.#headers = headers;
  }

  /** One result per host, in the order of the hosts; never rejects but for the caller's signal. */
  probe(options: ProbeOptions, closed: OllamaError | undefined): Promise<HostProbe[]> {
    const { timeoutMs, maxAgeMs, signal } = resolveProbeOptions(options);
    const now = performance.now();
    const shared = this.#context.upstreams.records.map((record) => {
      const last = this.#last.get(record);
      if (last !== undefined && maxAgeMs > 0 && now - last.sentAt < maxAgeMs && !closed) return last;
      const started = this.#start(record, timeoutMs, closed);
      this.#last.set(record, started);
      return started;
    });
    for (const probe of shared) probe.waiters++;
    return this.#wait(shared, signal);
  }

  #start(record: HostRecord, timeoutMs: number, closed: OllamaError | undefined): SharedProbe {
    const timeouts = { headersMs: 0, idleMs: 0, totalMs: timeoutMs };
    const scope = new RequestScope(this.#context.active, undefined, timeouts, record.url, 1);
    if (closed) scope.abort(closed);
    const probe: SharedProbe = {
      sentAt: performance.now(),
      scope,
      result: this.#ask(record, scope, timeoutMs),
      settled: false,
      waiters: 0,
    };
    probe.result.then(() => {
      probe.settled = true;
    });
    return probe;
  }

  async #ask(record: HostRecord, scope: RequestScope, timeoutMs: number): Promise<HostProbe> {
    const startedAt = performance.now();
    const probedAt = Date.now();
    try {
      if (scope.aborted) throw scope.reason;
      const outgoing = { method: 'GET' as const, path: '/api/version', headers: this.#headers };
      const dispatcher = this.#context.upstreams.probeDispatcher(record);
      const { value } = await requestJson(this.#context, outgoing, scope, undefined, dispatcher);
      const { version } = validate(versionResponseSchema, value, 'a version', record.url);
      return { host: record.url, ok: true, version, latencyMs: performance.now() - startedAt, probedAt };
    } catch (error) {
      return {
        host: record.url,
        ok: false,
        latencyMs: performance.now() - startedAt,
        probedAt,
        error: probeError(error, record.url, timeoutMs),
      };
    } finally {
      scope.dispose();
    }
  }

  /** Wait for every probe, or until `signal` aborts: then leave them, aborting those nobody else waits on. */
  #wait(shared: SharedProbe[], signal: AbortSignal | undefined): Promise<HostProbe[]> {
    const all = Promise.all(shared.map((probe) => probe.result));
    if (signal === undefined) return all.finally(() => this.#leave(shared));
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.#leave(shared);
        reject(
          new OllamaError('OLLAMA_ABORTED', 'The probe of Ollama was aborted by its signal', {
            cause: signal.reason,
          }),
        );
      };
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      all.then((results) => {
        if (signal.aborted) return;
        signal.removeEventListener('abort', onAbort);
        this.#leave(shared);
        resolve(results);
      });
    });
  }

  /** One caller stops waiting on `shared`: a probe left with no caller before its answer is aborted. */
  #leave(shared: SharedProbe[]): void {
    for (const probe of shared) {
      probe.waiters--;
      if (probe.waiters > 0 || probe.settled) continue;
      probe.scope.abort(new OllamaError('OLLAMA_ABORTED', 'No caller waits for the probe any more'));
      for (const [record, last] of this.#last) if (last === probe) this.#last.delete(record);
    }
  }
}

/** A probe's failure as an OllamaError; a timeout names the probe's own option. */
function probeError(error: unknown, host: string, timeoutMs: number): OllamaError {
  if (isOllamaError(error, 'OLLAMA_TIMEOUT')) {
    const message = `Ollama at ${host} did not answer a probe (GET /api/version) within ${formatMs(timeoutMs)}; raise the probe's \`timeoutMs\` if it is that slow`;
    return new OllamaError('OLLAMA_TIMEOUT', message, { cause: error, host, deadline: 'totalMs', timeoutMs });
  }
  if (isOllamaError(error)) return error;
  const message = `The probe of Ollama at ${host} failed: ${error instanceof Error ? error.message : String(error)}`;
  return new OllamaError('OLLAMA_PROTOCOL_ERROR', message, { cause: error, host });
}
