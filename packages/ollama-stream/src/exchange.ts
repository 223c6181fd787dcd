import { type Dispatcher, errors } from 'undici';
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

/** Failures of a connection attempt (nothing reached the server), in words. */
const CONNECT_FAILURES = new Map([
  ['ECONNREFUSED', 'the connection was refused'],
  ['EHOSTUNREACH', 'there is no route to the host'],
  ['ENETUNREACH', 'the network is unreachable'],
  ['EADDRNOTAVAIL', 'the address is not available from here'],
  ['ENOTFOUND', 'the host name does not resolve'],
  ['EAI_AGAIN', 'the host name could not be resolved (no answer from DNS)'],
  ['UND_ERR_CONNECT_TIMEOUT', 'connecting took too long'],
]);
/** Failures after connecting, in words: the connection ended under the request. */
const CLOSE_FAILURES = new Map([
  ['ECONNRESET', 'the connection was reset'],
  ['EPIPE', 'the connection closed while the request was being sent'],
  ['UND_ERR_SOCKET', 'the server closed the connection'],
  ['UND_ERR_CLOSED', 'the connection was closed'],
]);

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
  const connectFailure = CONNECT_FAILURES.get(code);
  const message =
    connectFailure === undefined
      ? `The connection to Ollama at ${where} closed before any response: ${CLOSE_FAILURES.get(code)} (${tries}). ` +
        "Ollama's log may say why; a restart of Ollama or a proxy in between can do this."
      : `Cannot connect to Ollama at ${where}: ${connectFailure} (${tries}). ` +
        'Check that Ollama is running there (`ollama serve`) and that the address is right.';
  const hosts = context.upstreams.several ? ` Hosts: ${context.upstreams.urls.join(', ')}.` : '';
  return new OllamaError('OLLAMA_UNREACHABLE', message + hosts, { cause: error, host: host?.url ?? where });
}

/** What went wrong, in words, for failures that are not the connection closing. */
function failureWords(error: unknown, code: string | undefined): string | undefined {
  if (error instanceof errors.HTTPParserError) {
    return 'what came back is not valid HTTP; is this the address of an Ollama server?';
  }
  if (code === undefined) return undefined;
  if (code === 'UND_ERR_HEADERS_OVERFLOW') return 'its response headers were too large';
  if (code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') return 'its body did not match its content-length';
  return CONNECT_FAILURES.get(code);
}

/**
 * What a sink reports for an error that is not an OllamaError: undici's own argument errors as they
 * are (a caller's bad header), anything else as OLLAMA_PROTOCOL_ERROR saying in words what was cut
 * short (`cutShort`, e.g. "the connection closed before the end of the body"); the library's error
 * stays as the cause, its code out of the message.
 */
export function transportError(error: unknown, host: string, cutShort: string): unknown {
  if (error instanceof OllamaError || errorCode(error) === 'UND_ERR_INVALID_ARG') return error;
  const code = errorCode(error);
  const words = failureWords(error, code);
  let message: string;
  if (words !== undefined) message = `Ollama at ${host}: ${words}`;
  else if (code !== undefined && CLOSE_FAILURES.has(code)) message = `Ollama at ${host}: ${cutShort}`;
  else message = `Ollama at ${host}: ${cutShort}; the error's cause says why`;
  return new OllamaError('OLLAMA_PROTOCOL_ERROR', message, { cause: error, host });
}

/**
 * One call over the pool with undici's `dispatch`: no Readable, no AsyncResource, the response's
 * bytes go straight to `sink`. Failures before any byte of a response (refused, reset, closed) are
 * retried up to `retries` times with backoff, on another host when there are several; once the
 * response started nothing is retried. Aborting `scope` aborts the request (closing its socket
 * mid-response) and reports the scope's reason to the sink.
 * With `direct` (a host's probe connection) there is one attempt, on that host only; its failure
 * still counts against the host as any call's would.
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
    scope.attempt = trace;
    scope.sent = false;
    let started = false;
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(requestController) {
        // Aborted while it waited for a connection: throwing here drops the request before a byte
        // is written and keeps the connection (aborting the controller would close the socket).
        if (scope.aborted) throw scope.reason;
        controller = requestController;
        scope.sent = true;
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
        const connectFailed = code !== undefined && CONNECT_FAILURES.has(code);
        const retryable = !started && code !== undefined && (connectFailed || CLOSE_FAILURES.has(code));
        if (!retryable) {
          finish(error);
          return;
        }
        const elsewhere = upstreams.failed(trace.host, connectFailed, performance.now());
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
