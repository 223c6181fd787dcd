import { DEFAULT_JSON_LIMITS, jsonLimitPassed } from '@lunar/ollama-proxy';
import type { FastifyInstance } from 'fastify';
import { LunarServerError } from '../errors.js';

/** A 400 for fastify's error handler. */
class BodyRefused extends LunarServerError {
  readonly statusCode = 400;
}

/**
 * JSON bodies of the server's own routes: at most `bodyLimit` bytes (413 past it, before anything
 * is parsed), within `DEFAULT_JSON_LIMITS` (64 levels of nesting, 2,000 objects and arrays; a 400
 * naming the limit, checked on the text before it is parsed), then parsed by fastify's own parser
 * (which refuses `__proto__` and `constructor.prototype` keys). The proxy's routes read their
 * bodies themselves, within the same limits.
 */
export function installJsonParser(app: FastifyInstance, bodyLimit: number): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (request, body, done) => {
    const text = String(body);
    const passed = jsonLimitPassed(text, DEFAULT_JSON_LIMITS);
    if (passed !== undefined) {
      done(new BodyRefused('SERVER_BODY_TOO_LARGE', `request body ${passed}`), undefined);
      return;
    }
    parse(request, text, done);
  });
}
