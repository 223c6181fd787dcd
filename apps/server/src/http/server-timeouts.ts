import type { ServerOptions as NodeServerOptions } from 'node:http';

/** Node's own default for `headersTimeout`: how long a client has to send a request's headers. */
const HEADERS_TIMEOUT_MS = 60_000;
/** How long an idle keep-alive connection is kept: fastify's default, longer than the usual 60 s of load balancers in front. */
export const KEEP_ALIVE_TIMEOUT_MS = 72_000;

/**
 * The deadlines of requests from clients, as fastify and Node's HTTP server take them:
 * `requestTimeout` for the whole request (headers and body; 408 and the connection closed past
 * it; fastify's own default turns it off), `headersTimeout` for the headers (Node's 60 s, or the
 * request timeout when shorter), and how often Node checks them (a quarter of the shorter, at most
 * Node's 30 s), so a deadline is enforced close to its time.
 */
export function nodeServerTimeouts(requestTimeoutMs: number): {
  requestTimeout: number;
  keepAliveTimeout: number;
  http: NodeServerOptions;
} {
  const headersTimeout = Math.min(HEADERS_TIMEOUT_MS, requestTimeoutMs);
  return {
    requestTimeout: requestTimeoutMs,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    http: {
      headersTimeout,
      connectionsCheckingInterval: Math.max(50, Math.min(30_000, Math.floor(headersTimeout / 4))),
    },
  };
}
