import type { Outgoing } from './exchange.js';
import { resolveHeaders } from './options.js';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'DELETE']);
/** Set by the connection pool itself, or hop-by-hop: a caller's value would break the exchange. */
const RESERVED_HEADERS = new Set([
  'connection',
  'content-length',
  'expect',
  'host',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);
const LONGEST_PATH = 8192;

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 200)) : String(value);
}

function badPath(path: unknown, why: string): TypeError {
  return new TypeError(
    `Expected \`path\` of the request to be a path on the Ollama server such as "/api/tags" (${why}), got ${describe(path)}`,
  );
}

/**
 * A path on the Ollama server, optionally with a query: `/`, `/api/...`, `/v1/...`. No scheme or
 * host (nor `//`, which reads as one), no `.` or `..` segment (encoded ones too), no `#`, no
 * backslash, only visible ASCII: what reaches the pool is a path under the host's own prefix.
 */
export function checkRequestPath(path: unknown): string {
  if (typeof path !== 'string' || !path.startsWith('/')) throw badPath(path, 'starting with "/"');
  if (path.startsWith('//')) throw badPath(path, 'not starting with "//"');
  if (path.length > LONGEST_PATH) throw badPath(path, `at most ${LONGEST_PATH} characters`);
  if (!/^[\x21-\x7e]*$/.test(path) || path.includes('\\') || path.includes('#')) {
    throw badPath(path, 'visible ASCII only, percent-encoded, without "\\" or "#"');
  }
  const query = path.indexOf('?');
  for (const segment of (query === -1 ? path : path.slice(0, query)).split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw badPath(path, 'valid percent-encoding');
    }
    if (decoded === '.' || decoded === '..' || decoded.includes('/') || decoded.includes('\\')) {
      throw badPath(path, 'no "." or ".." segment, no encoded "/"');
    }
  }
  return path;
}

/** Check a `request()` call's request and build what goes to the pool. */
export function checkRawRequest(request: unknown, baseHeaders: Record<string, string>): Outgoing {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    throw new TypeError(`Expected the request to be an object, got ${String(request)}`);
  }
  const { method, path, body, headers } = request as Record<string, unknown>;
  if (typeof method !== 'string' || !METHODS.has(method)) {
    throw new TypeError(
      `Expected \`method\` of the request to be one of ${[...METHODS].join(', ')}, got ${describe(method)}`,
    );
  }
  checkRequestPath(path);
  if (body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array)) {
    throw new TypeError(
      `Expected \`body\` of the request to be a string or a Uint8Array, got ${describe(body)}`,
    );
  }
  if (body !== undefined && (method === 'GET' || method === 'HEAD')) {
    throw new TypeError(`A ${method} request cannot have a \`body\``);
  }
  const merged: Record<string, string> = {};
  for (const [name, value] of Object.entries(baseHeaders)) merged[name.toLowerCase()] = value;
  if (body !== undefined) merged['content-type'] ??= 'application/json';
  for (const [name, value] of Object.entries(resolveHeaders('headers', headers))) {
    const lower = name.toLowerCase();
    if (RESERVED_HEADERS.has(lower)) {
      throw new TypeError(`\`headers.${name}\` is set by the connection pool; leave it out of the request`);
    }
    merged[lower] = value;
  }
  const outgoing: Outgoing = { method: method as Outgoing['method'], path: path as string, headers: merged };
  if (body !== undefined) outgoing.body = body as string | Uint8Array;
  return outgoing;
}
