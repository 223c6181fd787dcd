import { type ClientContext, exchange, type Outgoing, transportError } from './exchange.js';
import type { RequestOptions } from './options.js';
import type { RequestScope } from './request-scope.js';
import { type RawResponseBody, ResponseBody } from './response-body.js';

/** A request the typed methods do not cover, sent over the client's pool as it is. */
export interface RawRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
  /** A path on the server, with a query if any: `/api/embeddings`, `/api/delete`, `/`. Not a URL. */
  path: string;
  /**
   * Sent as it is; `content-type` defaults to `application/json` when there is a body. An async
   * iterable (a request being relayed, a file stream) is streamed, each chunk read as the socket
   * takes the previous one, so a large body is never held whole; it can be sent once, so a retry
   * after part of it went out fails instead of sending it again.
   */
  body?: string | Uint8Array | AsyncIterable<Uint8Array>;
  /** With an async-iterable body: its length in bytes, sent as `content-length` (else it goes chunked). */
  bodyLength?: number;
  /** On top of the client's and the call's headers. */
  headers?: Record<string, string>;
}

export interface RawRequestOptions extends RequestOptions {
  /** Largest body `text()`, `json()` and `bytes()` read, in bytes. Default: the client's `maxBodyBytes`. */
  maxBodyBytes?: number;
}

/** Ollama's answer, whatever its status: a proxy relays it. */
export interface RawResponse {
  status: number;
  /** Lower-case names; a repeated header is an array. */
  headers: Record<string, string | string[]>;
  /** Base URL of the host that answered. */
  host: string;
  body: RawResponseBody;
}

/**
 * One request over the pool, resolved with the response once its headers arrive, whatever the
 * status. Failures before that (unreachable after the retries, a deadline, an abort) reject; later
 * ones go to the body's reader.
 */
export function requestRaw(
  context: ClientContext,
  outgoing: Outgoing,
  scope: RequestScope,
  maxBodyBytes: number,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let body: ResponseBody | undefined;
    let host = context.upstreams.urls.join(', ');
    exchange(context, outgoing, scope, {
      start(status, record, controller, headers) {
        host = record.url;
        scope.deadlines.host = host;
        body = new ResponseBody(scope, controller, host, maxBodyBytes);
        // The headers count as the first token: Ollama sends none before it.
        scope.deadlines.chunk(performance.now());
        resolve({ status, headers: headers as RawResponse['headers'], host, body });
      },
      data(chunk) {
        body!.push(chunk);
      },
      end() {
        body!.end();
      },
      error(error) {
        const reported = transportError(error, host, 'the connection closed before the end of the body');
        if (body) {
          body.fail(reported);
        } else {
          scope.dispose();
          reject(reported);
        }
      },
    });
  });
}
