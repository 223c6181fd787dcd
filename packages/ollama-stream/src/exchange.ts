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
  method: 'GET' | 'HEAD' | 'POST' | 'DELETE';
  path: string;
  body?: string | Uint8Array;
  headers: Record<string, string>;
}

/** Response headers as undici gives them: lower-case names, repeated ones as arrays. */
export type IncomingHeaders = Record<string, string | string[] | undefined>;

/** Receives one response. `error` ends it at any point; nothing follows `end` or `error`. */
export interface ResponseSink {
  start(
    statusCode: number,
    host: HostRecord,
    controller: Dispatcher.DispatchController,
    headers: IncomingHeaders,
  ): void;
  data(chunk: Buffer): void;
  end(): void;
  error(error: unknown): void;
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

function unreachable(
  error: unknown,
  code: string,
  host: HostRecord | undefined,
  context: ClientContext,
  attempts: number,
) {
  const where = host?.url ?? context.upstreams.urls.join(', ');
  const tries = `${attempts} attempt${attempts === 1 ? '' : 's'}`;
  const message = CONNECT_CODES.has(code)
    ? `Cannot connect to Ollama at ${where} (${code}, ${tries}). ` +
      'Is it running? Start it with `ollama serve`, or point OLLAMA_HOST (or the `host` option) at it.'
    : `The connection to Ollama at ${where} closed before a response (${code}, ${tries}).`;
  const hosts = context.upstreams.several ? ` Hosts: ${context.upstreams.urls.join(', ')}.` : '';
  return new OllamaError('OLLAMA_UNREACHABLE', message + hosts, { cause: error, host: host?.url ?? where });
}

/**
 * What a sink reports for an error that is not an OllamaError: undici's own argument errors as they
 * are (a caller's bad header), anything else as OLLAMA_PROTOCOL_ERROR saying what was cut short.
 */
export function transportError(error: unknown, host: string, cutShort: string): unknown {
  if (error instanceof OllamaError || errorCode(error) === 'UND_ERR_INVALID_ARG') return error;
  const code = errorCode(error);
  const detail = `${code === undefined ? '' : `${code}: `}${error instanceof Error ? error.message : String(error)}`;
  return new OllamaError('OLLAMA_PROTOCOL_ERROR', `Ollama at ${host}: ${cutShort} (${detail})`, {
    cause: error,
    host,
  });
}

/**
 * One call over the pool with undici's `dispatch`: no Readable, no AsyncResource, the response's
 * bytes go straight to `sink`. Failures before any byte of a response (refused, reset, closed) are
 * retried up to `retries` times with backoff, on another host when there are several; once the
 * response started nothing is retried. Aborting `scope` aborts the request (closing its socket
 * mid-response) and reports the scope's reason to the sink.
 * With `direct` (one host's own pool, for a probe) there is one attempt, on that host only; its
 * failure still counts against the host as any call's would.
 */
export function exchange(
  context: ClientContext,
  outgoing: Outgoing,
  scope: RequestScope,
  sink: ResponseSink,
  direct?: Dispatcher,
): void {
  const { upstreams, options } = context;
  const dispatcher = direct ?? upstreams.dispatcher;
  const retries = direct ? 0 : options.retries;
  let controller: Dispatcher.DispatchController | undefined;
  let backoffTimer: NodeJS.Timeout | undefined;
  let finished = false;
  const finish = (error: unknown) => {
    if (finished) return;
    finished = true;
    sink.error(error);
  };
  scope.onAbort((reason) => {
    if (backoffTimer) clearTimeout(backoffTimer);
    controller?.abort(reason);
    finish(reason);
  });

  const attempt = (count: number): void => {
    backoffTimer = undefined;
    if (scope.aborted) {
      finish(scope.reason);
      return;
    }
    upstreams.refresh(performance.now());
    const trace: Attempt = { host: undefined };
    let started = false;
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(requestController) {
        controller = requestController;
        if (scope.aborted) requestController.abort(scope.reason);
      },
      onResponseStart(requestController, statusCode, headers) {
        if (finished || statusCode < 200) return;
        started = true;
        upstreams.succeeded(trace.host, direct !== undefined);
        sink.start(statusCode, trace.host!, requestController, headers);
      },
      onResponseData(_requestController, chunk) {
        if (!finished) sink.data(chunk);
      },
      onResponseEnd() {
        if (finished) return;
        finished = true;
        sink.end();
      },
      onResponseError(_requestController, error) {
        if (finished) return;
        if (scope.aborted) {
          finish(scope.reason);
          return;
        }
        const code = errorCode(error);
        const retryable =
          !started && code !== undefined && (CONNECT_CODES.has(code) || RESET_CODES.has(code));
        if (!retryable) {
          finish(error);
          return;
        }
        const elsewhere = upstreams.failed(trace.host, CONNECT_CODES.has(code), performance.now());
        if (count >= retries || (code === 'ENOTFOUND' && !elsewhere)) {
          finish(unreachable(error, code, trace.host, context, count + 1));
          return;
        }
        if (elsewhere) attempt(count + 1);
        else backoffTimer = setTimeout(attempt, backoff(options, count), count + 1);
      },
    };
    const dispatchOptions = {
      method: outgoing.method,
      path: outgoing.path,
      headers: outgoing.headers,
      body: outgoing.body ?? null,
      opaque: trace,
    };
    try {
      dispatcher.dispatch(dispatchOptions, handler);
    } catch (error) {
      finish(error);
    }
  };
  attempt(0);
}
