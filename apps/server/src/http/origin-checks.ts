import { applyCors, type CorsPolicy, isAllowedHost } from '@lunar/ollama-proxy';
import type { FastifyInstance } from 'fastify';
import { errorBody } from '../errors.js';

export interface OriginChecks {
  /**
   * Refuse a `Host` header naming another machine (Ollama's own check): for a server on loopback
   * without a token, which a web page could otherwise reach through DNS rebinding.
   */
  hostCheck: boolean;
  /** Which browser origins may call (Ollama's defaults and the `origins` option). */
  cors: CorsPolicy;
}

/**
 * Ollama's Host and Origin checks on every route (turns, memories, the chat page, the proxy,
 * `/metrics`, the health checks), before the token is asked for: a `Host` naming another machine is
 * a 403 in words (with `hostCheck`); an origin not allowed a 403; an allowed origin's preflight a
 * 204 with the methods and headers it may use, its other requests `Access-Control-Allow-Origin`.
 * A request without `Origin`, or from the server's own origin (the chat page), is not CORS.
 */
export function checkOrigins(app: FastifyInstance, checks: OriginChecks): void {
  app.addHook('onRequest', async (request, reply) => {
    const host = request.headers.host;
    if (checks.hostCheck && !isAllowedHost(host)) {
      return reply
        .code(403)
        .send(
          errorBody(
            'SERVER_HOST_REFUSED',
            `The Host header ${JSON.stringify(host)} names another machine: this server listens on loopback without a token, so it answers only requests made to localhost or a local address (as Ollama does, so that no web page can reach it by pointing its own name at this machine). Call it at http://localhost:PORT, or set LUNAR_API_TOKEN.`,
          ),
        );
    }
    if (applyCors(checks.cors, request.raw, reply.raw)) reply.hijack();
    return undefined;
  });
}
