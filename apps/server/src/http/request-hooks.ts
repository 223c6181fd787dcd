import type { FastifyInstance } from 'fastify';
import { errorBody } from '../errors.js';
import type { ServerMetrics } from '../metrics/server-metrics.js';

/**
 * Counts every answer in `lunar_http_requests_total` once its connection is done with it: with
 * its status when it ended, else 499 (the client left first, also mid-stream) or 503 (the
 * shutdown cut it). An answer that did not end is also logged, at `info`.
 */
export function countAnswers(app: FastifyInstance, metrics: ServerMetrics, cutAtShutdown: () => boolean) {
  app.addHook('onRequest', (request, reply, done) => {
    reply.raw.once('close', () => {
      const route = request.routeOptions.url ?? 'unmatched';
      if (reply.raw.writableFinished) {
        metrics.request(request.method, route, reply.raw.statusCode);
        return;
      }
      const status = cutAtShutdown() ? 503 : 499;
      metrics.request(request.method, route, status);
      request.log.info(
        {
          method: request.method,
          route,
          status,
          answered: reply.raw.headersSent ? reply.raw.statusCode : null,
        },
        status === 499 ? 'the client left before the answer ended' : 'answer cut by the shutdown',
      );
    });
    done();
  });
}

/** Answered while the server closes: liveness stays 200, readiness says 503 itself. */
const HEALTH_PATHS = new Set(['/healthz', '/readyz']);

/**
 * Once the server closes, a request that still arrives on an open connection gets a 503 in words
 * (and the connection is closed after it), but for the health checks.
 */
export function refuseWhileClosing(app: FastifyInstance, closing: () => boolean) {
  app.addHook('onRequest', async (request, reply) => {
    if (!closing() || HEALTH_PATHS.has(request.url.split('?', 1)[0]!)) return;
    reply
      .code(503)
      .header('connection', 'close')
      .send(
        errorBody(
          'SERVER_SHUTTING_DOWN',
          'The server is shutting down: send the request again, to another server or to this one once restarted.',
        ),
      );
  });
}
