import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import type { UpstreamHealth } from '../health/health-probe.js';

/** One upstream in `/healthz`: the probe's answer and the client's view of the host. */
interface UpstreamReport extends UpstreamHealth {
  /** `up` when it answered `/api/version` just now. */
  state: 'up' | 'down';
  /** False while the client skips it after refused connections (several hosts only). */
  inRotation: boolean;
  /** Requests the client sent it (retries included), and attempts that failed before a response. */
  requests: number;
  failures: number;
}

async function upstreamReports(context: ServerContext): Promise<UpstreamReport[]> {
  const probed = await context.health.check();
  const hosts = new Map(context.client.hosts().map((host) => [host.url, host]));
  return probed.map((upstream) => {
    const host = hosts.get(upstream.url);
    return {
      ...upstream,
      state: upstream.ok ? 'up' : 'down',
      inRotation: host === undefined ? upstream.ok : !host.down,
      requests: host?.requests ?? 0,
      failures: host?.failures ?? 0,
    };
  });
}

/**
 * `GET /metrics` (Prometheus text) and `GET /healthz`: 200 when an upstream answers (`degraded`
 * when Redis is down: the replica still serves, from its own caches), else 503.
 */
export async function operationRoutes(app: FastifyInstance, { context }: { context: ServerContext }) {
  app.get('/metrics', async (_request, reply) => {
    return reply.type(context.metrics.contentType).send(await context.metrics.text());
  });

  app.get('/healthz', async (_request, reply) => {
    const replica = context.options.replicaId;
    if (context.closing()) {
      return reply.code(503).send({ status: 'unavailable', reason: 'shutting down', replica });
    }
    const upstreams = await upstreamReports(context);
    const redis = context.redis?.health();
    const shared = redis === undefined ? {} : { redis };
    if (!upstreams.some((upstream) => upstream.ok)) {
      const reasons = upstreams.map((upstream) => `${upstream.url}: ${upstream.error}`).join('; ');
      return reply.code(503).send({
        status: 'unavailable',
        reason: `no upstream answered /api/version (${reasons})`,
        replica,
        upstreams,
        ...shared,
      });
    }
    if (redis?.state === 'down') {
      const reason = 'redis unavailable: the caches are local to this replica until it is back';
      return { status: 'degraded', reason, replica, upstreams, ...shared };
    }
    return { status: 'ok', replica, upstreams, ...shared };
  });
}
