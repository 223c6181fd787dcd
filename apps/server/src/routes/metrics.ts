import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';

/** `GET /metrics`: the Prometheus text exposition. */
export async function metricsRoutes(app: FastifyInstance, { context }: { context: ServerContext }) {
  app.get('/metrics', async (_request, reply) => {
    return reply.type(context.metrics.contentType).send(await context.metrics.text());
  });
}
