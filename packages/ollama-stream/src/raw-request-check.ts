import type { Outgoing } from './exchange.js';
import { resolveHeaders } from './options.js';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
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

function isAsyncIterable(value: unknown): value is AsyncIterable<Uint8Array> {
  return typeof (value as { [Symbol.asyncIterator]?: unknown } | null)?.[Symbol.asyncIterator] === 'function';
}

/**
 * A streamed body that can be read once: the pool asks for its iterator again only to retry an
 * attempt, and a retry after some of it went out would send a truncated body, so it fails instead.
 */
function sentOnce(body: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  let taken = false;
  return {
    [Symbol.asyncIterator]() {
      if (taken) {
        throw new TypeError(
          'A streamed request body can be sent once; the connection failed while sending it',
        );
      }
      taken = true;
      return body[Symbol.asyncIterator]();
    },
  };
}

/** Check a `request()` call's request and build what goes to the pool. */
export function checkRawRequest(request: unknown, baseHeaders: Record<string, string>): Outgoing {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    throw new TypeError(`Expected the request to be an object, got ${String(request)}`);
  }
  const { method, path, body, headers, bodyLength } = request as Record<string, unknown>;
  if (typeof method !== 'string' || !METHODS.has(method)) {
    throw new TypeError(
      `Expected \`method\` of the request to be one of ${[...METHODS].join(', ')}, got ${describe(method)}`,
    );
  }
  checkRequestPath(path);
  const streamed = isAsyncIterable(body);
  if (body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array) && !streamed) {
    throw new TypeError(
      `Expected \`body\` of the request to be a string, a Uint8Array or an async iterable of Uint8Array, got ${describe(body)}`,
    );
  }
  if (
    bodyLength !== undefined &&
    (!streamed || !Number.isSafeInteger(bodyLength) || (bodyLength as number) < 0)
  ) {
    throw new TypeError(
      `Expected \`bodyLength\` of the request to be a length in bytes beside an async-iterable body, got ${describe(bodyLength)}`,
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
  if (bodyLength !== undefined) merged['content-length'] = String(bodyLength);
  // undici dispatches the methods and body kinds beyond the exchange's typed ones the same way.
  const outgoing: Outgoing = { method: method as Outgoing['method'], path: path as string, headers: merged };
  if (body !== undefined) outgoing.body = (streamed ? sentOnce(body) : body) as string | Uint8Array;
  return outgoing;
}
