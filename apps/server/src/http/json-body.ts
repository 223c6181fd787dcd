import type { FastifyInstance } from 'fastify';
import { LunarServerError } from '../errors.js';

/** Deepest nesting of objects and arrays accepted in a JSON request body. */
export const MAX_JSON_DEPTH = 64;

/**
 * True when JSON `text` nests objects and arrays deeper than `limit`: one pass over the text,
 * strings skipped, stopping at the first level past the limit. Cheap next to parsing it (no
 * allocation, no recursion), so it runs first and a hostile body never reaches a recursive walk.
 */
export function nestedDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c)
        index++; // a backslash: the next character is escaped
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) {
      inString = true;
    } else if (char === 0x7b || char === 0x5b) {
      if (++depth > limit) return true;
    } else if (char === 0x7d || char === 0x5d) {
      depth--;
    }
  }
  return false;
}

/** A 400 for fastify's error handler. */
class BodyRefused extends LunarServerError {
  readonly statusCode = 400;
}

/**
 * JSON bodies of the server's own routes: at most `bodyLimit` bytes (413 past it, before anything
 * is parsed), nested at most `MAX_JSON_DEPTH` levels (400 naming the limit, checked before the
 * text is parsed), then parsed by fastify's own parser (which refuses `__proto__` and
 * `constructor.prototype` keys). The proxy's routes read their bodies themselves.
 */
export function installJsonParser(app: FastifyInstance, bodyLimit: number): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (request, body, done) => {
    const text = String(body);
    if (nestedDeeperThan(text, MAX_JSON_DEPTH)) {
      done(
        new BodyRefused(
          'SERVER_BODY_TOO_LARGE',
          `request body nested too deep: more than ${MAX_JSON_DEPTH} levels of objects and arrays`,
        ),
        undefined,
      );
      return;
    }
    parse(request, text, done);
  });
}
