import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Routes open without the token: a load balancer's health probe carries none. */
const OPEN_PATHS = new Set(['/healthz']);

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * An onRequest hook requiring `Authorization: Bearer <token>` on every route but `/healthz` (the
 * server wraps it with `exceptUiFiles`, so the chat page's files pass too).
 * Both sides are hashed first, so the comparison is constant-time whatever the header's length.
 */
export function bearerAuth(token: string) {
  const expected = digest(`Bearer ${token}`);
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const path = request.url.split('?', 1)[0]!;
    if (OPEN_PATHS.has(path)) return;
    const header = request.headers.authorization ?? '';
    if (timingSafeEqual(digest(header), expected)) return;
    reply
      .code(401)
      .header('www-authenticate', 'Bearer realm="lunar"')
      .send({ error: 'unauthorized: send the header Authorization: Bearer <LUNAR_API_TOKEN>' });
  };
}
