import type { FastifyError, FastifyInstance } from 'fastify';

const V1_CODES: Record<number, string> = { 413: 'too-large', 415: 'unsupported-media-type' };

/**
 * Errors as `{"error": ...}` (plus a `code` outside the Ollama routes): 4xx with their message,
 * 413 past the body limit, and every 5xx as a generic 500 (the details go to the log, never to
 * the client). Unknown routes get Ollama's `404 page not found`.
 */
export function installErrorHandlers(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    const ollamaRoute = request.url.startsWith('/api/');
    if (ollamaRoute) reply.header('x-lunar-cache', 'bypass');
    if (status >= 500 || status < 400) {
      request.log.error({ err: error }, 'request failed');
      return reply
        .code(500)
        .send(
          ollamaRoute
            ? { error: 'internal server error' }
            : { error: 'internal server error', code: 'internal' },
        );
    }
    const message =
      error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? `request body too large: more than ${bodyLimit} bytes`
        : error.message;
    return reply
      .code(status)
      .send(
        ollamaRoute ? { error: message } : { error: message, code: V1_CODES[status] ?? 'invalid-request' },
      );
  });
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/')) reply.header('x-lunar-cache', 'bypass');
    return reply.code(404).type('text/plain').send('404 page not found');
  });
}
