import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { errorBody, isLunarServerError, type LunarServerErrorCode } from '../errors.js';

/** Fastify's own failures, in Lunar's words: the code a client sees, and what to say. */
function describeFastifyError(
  error: FastifyError,
  bodyLimit: number,
): { status: number; code: LunarServerErrorCode; message: string } | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        status: 413,
        code: 'SERVER_BODY_TOO_LARGE',
        message: `request body too large: more than ${bodyLimit} bytes`,
      };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        status: 415,
        code: 'SERVER_UNSUPPORTED_MEDIA_TYPE',
        message: `unsupported content-type: send the body as application/json`,
      };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, code: 'SERVER_INVALID_REQUEST', message: 'the JSON request body is empty' };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return {
        status: 400,
        code: 'SERVER_INVALID_REQUEST',
        message: 'the request body does not match its content-length',
      };
    default:
      return undefined;
  }
}

function sendOllamaStyle(reply: FastifyReply, status: number, message: string) {
  return reply.code(status).header('x-lunar-cache', 'bypass').send({ error: message });
}

/**
 * Errors as `{"error": ..., "code": "SERVER_..."}` (Ollama's `{"error": ...}` alone on `/api/*`):
 * 4xx with what was wrong, 413 past the body limit, and every 5xx as a generic 500 (the details go
 * to the log, never to the client). Unknown routes get Ollama's `404 page not found`.
 */
export function installErrorHandlers(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const ollamaRoute = request.url.startsWith('/api/');
    const known = describeFastifyError(error, request.routeOptions.bodyLimit ?? bodyLimit);
    const status = known?.status ?? error.statusCode ?? 500;
    if (status >= 500 || status < 400) {
      request.log.error({ err: error }, 'request failed');
      const message = 'internal server error: the server log has the details';
      if (ollamaRoute) return sendOllamaStyle(reply, 500, message);
      return reply.code(500).send(errorBody('SERVER_INTERNAL', message));
    }
    if (isLunarServerError(error)) return reply.code(status).send(errorBody(error.code, error.message));
    // A JSON syntax error says where: "Unexpected token } in JSON at position 12".
    const message = known?.message ?? `invalid request body: ${error.message}`;
    if (ollamaRoute) return sendOllamaStyle(reply, status, message);
    return reply.code(status).send(errorBody(known?.code ?? 'SERVER_INVALID_REQUEST', message));
  });
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/')) reply.header('x-lunar-cache', 'bypass');
    return reply.code(404).type('text/plain').send('404 page not found');
  });
}
