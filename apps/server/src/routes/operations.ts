import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';

/** `GET /metrics` (Prometheus text) and `GET /healthz` (200 when an upstream answers, else 503). */
export async function operationRoutes(app: FastifyInstance, { context }: { context: ServerContext }) {
  app.get('/metrics', async (_request, reply) => {
    return reply.type(context.metrics.contentType).send(await context.metrics.text());
  });

  app.get('/healthz', async (_request, reply) => {
    if (context.closing()) return reply.code(503).send({ status: 'unavailable', reason: 'shutting down' });
    const upstreams = await context.health.check();
    if (upstreams.some((upstream) => upstream.ok)) return { status: 'ok', upstreams };
    const reasons = upstreams.map((upstream) => `${upstream.url}: ${upstream.error}`).join('; ');
    return reply.code(503).send({
      status: 'unavailable',
      reason: `no upstream answered /api/version (${reasons})`,
      upstreams,
    });
  });
}
