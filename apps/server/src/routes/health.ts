import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ServerContext } from '../context.js';
import { checkReadiness } from '../health/readiness.js';

/**
 * `GET /healthz` (liveness: the process is up and serving, always 200) and `GET /readyz`
 * (readiness: 200 while an Ollama host answers, `degraded` when Redis or the memory store does
 * not; 503 when no host answers or the server is shutting down). Both are open without the
 * token; `/readyz` shows its details (hosts, memory, Redis) only to a caller the token would
 * let in, and to everyone on a server without one.
 */
export async function healthRoutes(app: FastifyInstance, { context }: { context: ServerContext }) {
  const replica = context.options.replicaId;
  const detailed = (request: FastifyRequest) => context.auth?.authorized(request) ?? true;

  app.get('/healthz', async () => ({ status: 'ok', replica }));

  app.get('/readyz', async (request, reply) => {
    if (context.closing()) {
      return reply.code(503).send({ status: 'unavailable', reason: 'shutting down', replica });
    }
    const report = await checkReadiness(context.readiness);
    reply.code(report.status === 'unavailable' ? 503 : 200);
    return detailed(request) ? report : { status: report.status, replica };
  });
}
