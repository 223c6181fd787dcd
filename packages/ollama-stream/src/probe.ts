import { isOllamaError, OllamaError } from './errors.js';
import type { ClientContext } from './exchange.js';
import type { HostRecord } from './host-pool.js';
import { requestJson } from './request-json.js';
import type { RequestScope } from './request-scope.js';
import { versionResponseSchema } from './response-schemas.js';
import { validate } from './validate.js';

export interface ProbeOptions {
  /** How long each host has to answer, in ms. Default 2000. */
  timeoutMs?: number;
  /** Aborting it ends the probe: `probe()` rejects with OLLAMA_ABORTED. */
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
  /** Why it is not `ok`: OLLAMA_UNREACHABLE, OLLAMA_TIMEOUT, OLLAMA_HTTP_ERROR, OLLAMA_PROTOCOL_ERROR... */
  error?: OllamaError;
}

function asOllamaError(error: unknown, host: string): OllamaError {
  if (isOllamaError(error)) return error;
  const message = `The probe of Ollama at ${host} failed: ${error instanceof Error ? error.message : String(error)}`;
  return new OllamaError('OLLAMA_PROTOCOL_ERROR', message, { cause: error, host });
}

async function probeHost(
  context: ClientContext,
  record: HostRecord,
  headers: Record<string, string>,
  scope: RequestScope,
): Promise<HostProbe> {
  const startedAt = performance.now();
  const { dispatcher, release } = context.upstreams.direct(record);
  try {
    const outgoing = { method: 'GET' as const, path: '/api/version', headers };
    const { value } = await requestJson(context, outgoing, scope, undefined, dispatcher);
    const { version } = validate(versionResponseSchema, value, 'a version', record.url);
    return { host: record.url, ok: true, version, latencyMs: performance.now() - startedAt };
  } catch (error) {
    return {
      host: record.url,
      ok: false,
      latencyMs: performance.now() - startedAt,
      error: asOllamaError(error, record.url),
    };
  } finally {
    scope.dispose();
    await release();
  }
}

/**
 * `GET /api/version` on every host at once, each on its own pool (not balanced), no retries. A host
 * that cannot be reached counts a failure and, with several hosts, is taken out of rotation as a
 * failed call would take it; a skipped host that answers is put back at once.
 */
export async function probeHosts(
  context: ClientContext,
  headers: Record<string, string>,
  scopeFor: (host: string) => RequestScope,
  signal: AbortSignal | undefined,
): Promise<HostProbe[]> {
  const results = await Promise.all(
    context.upstreams.records.map((record) => probeHost(context, record, headers, scopeFor(record.url))),
  );
  if (signal?.aborted) {
    throw new OllamaError('OLLAMA_ABORTED', 'The probe of Ollama was aborted by its signal', {
      cause: signal.reason,
    });
  }
  return results;
}
