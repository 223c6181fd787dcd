import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from '../errors.js';

/** Routes open without the token: a load balancer's health checks carry none. */
const OPEN_PATHS = new Set(['/healthz', '/readyz']);

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** The bearer token check of a server with a token. */
export class BearerAuth {
  readonly #expected: Buffer;

  constructor(token: string) {
    this.#expected = digest(`Bearer ${token}`);
  }

  /**
   * True when the request carries `Authorization: Bearer <token>`. Both sides are hashed first, so
   * the comparison is constant-time whatever the header's length.
   */
  authorized(request: FastifyRequest): boolean {
    return timingSafeEqual(digest(request.headers.authorization ?? ''), this.#expected);
  }

  /**
   * An onRequest hook requiring the token on every route but `/healthz` and `/readyz` (the server
   * wraps it with `exceptUiFiles`, so the chat page's files pass too).
   */
  readonly hook = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const path = request.url.split('?', 1)[0]!;
    if (OPEN_PATHS.has(path) || this.authorized(request)) return;
    reply
      .code(401)
      .header('www-authenticate', 'Bearer realm="lunar"')
      .send(
        errorBody(
          'SERVER_UNAUTHORIZED',
          'unauthorized: send the header Authorization: Bearer <LUNAR_API_TOKEN>',
        ),
      );
  };
}
