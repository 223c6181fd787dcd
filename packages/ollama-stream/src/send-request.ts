import { setTimeout as sleep } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import { OllamaError } from './errors.js';
import type { Attempt, HostRecord } from './host-pool.js';
import type { ResolvedOptions } from './options.js';
import type { RequestScope } from './request-scope.js';
import type { Upstreams } from './upstreams.js';

/** What a client shares with each of its calls. */
export interface ClientContext {
  readonly options: ResolvedOptions;
  readonly upstreams: Upstreams;
  readonly active: Set<RequestScope>;
}

export interface Outgoing {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  headers: Record<string, string>;
}

export interface Sent {
  statusCode: number;
  body: Dispatcher.ResponseData['body'];
  host: HostRecord;
}

/** Failures of a connection attempt: nothing reached the server, or it never answered. */
const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
]);
/** Failures after connecting but before any byte of a response. */
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  if (error instanceof AggregateError) return errorCode(error.errors[0]);
  return undefined;
}

function backoff(options: ResolvedOptions, attempt: number): number {
  const ceiling = Math.min(options.maxDelayMs, options.minDelayMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

function unreachable(error: unknown, code: string, host: HostRecord | undefined, context: ClientContext) {
  const where = host?.url ?? context.upstreams.urls.join(', ');
  const attempts = context.options.retries + 1;
  const message = CONNECT_CODES.has(code)
    ? `Cannot connect to Ollama at ${where} (${code}, ${attempts} attempt${attempts === 1 ? '' : 's'}). ` +
      'Is it running? Start it with `ollama serve`, or point OLLAMA_HOST (or the `host` option) at it.'
    : `The connection to Ollama at ${where} closed before a response (${code}, ${attempts} attempt${attempts === 1 ? '' : 's'})`;
  const hosts = context.upstreams.several ? ` Hosts tried: ${context.upstreams.urls.join(', ')}.` : '';
  return new OllamaError('OLLAMA_UNREACHABLE', message + hosts, { cause: error, host: host?.url ?? where });
}

/**
 * Send a request and wait for the response headers. Failures before any byte of a response arrived
 * (refused, reset, closed) are retried up to `retries` times with backoff, on another host when there
 * are several; once headers arrived nothing is retried. An abort rejects with the scope's reason.
 */
export async function sendRequest(
  context: ClientContext,
  outgoing: Outgoing,
  scope: RequestScope,
): Promise<Sent> {
  const { upstreams, options } = context;
  for (let attempt = 0; ; attempt++) {
    if (scope.aborted) throw scope.reason;
    upstreams.refresh(performance.now());
    const trace: Attempt = { host: undefined };
    try {
      const response = await upstreams.dispatcher.request({
        method: outgoing.method,
        path: outgoing.path,
        headers: outgoing.headers,
        body: outgoing.body ?? null,
        signal: scope.signal,
        opaque: trace,
      });
      upstreams.succeeded(trace.host);
      return { statusCode: response.statusCode, body: response.body, host: trace.host! };
    } catch (error) {
      if (scope.aborted) throw scope.reason;
      const code = errorCode(error);
      if (code === undefined || !(CONNECT_CODES.has(code) || RESET_CODES.has(code))) throw error;
      const elsewhere = upstreams.failed(trace.host, CONNECT_CODES.has(code), performance.now());
      if (attempt >= options.retries || (code === 'ENOTFOUND' && !elsewhere))
        throw unreachable(error, code, trace.host, context);
      if (!elsewhere) {
        await sleep(backoff(options, attempt), undefined, { signal: scope.signal }).catch(() => undefined);
      }
    }
  }
}
