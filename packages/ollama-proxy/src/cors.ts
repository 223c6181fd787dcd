import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The origins Ollama always allows, whatever `OLLAMA_ORIGINS` adds (envconfig `AllowedOrigins`):
 * localhost, 127.0.0.1 and 0.0.0.0 on any port over http and https, and the app schemes.
 */
export const OLLAMA_DEFAULT_ORIGINS: readonly string[] = [
  ...['localhost', '127.0.0.1', '0.0.0.0'].flatMap((host) => [
    `http://${host}`,
    `https://${host}`,
    `http://${host}:*`,
    `https://${host}:*`,
  ]),
  'app://*',
  'file://*',
  'tauri://*',
  'vscode-webview://*',
  'vscode-file://*',
];

const ALLOWED_METHODS = 'GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS';
/**
 * Ollama's allowed request headers (as gin writes them, canonicalised), and `Cache-Control`, which
 * the proxy reads (its cache modes).
 */
const ALLOWED_HEADERS = [
  'Authorization',
  'Content-Type',
  'User-Agent',
  'Accept',
  'X-Requested-With',
  'Openai-Beta',
  ...[
    'Arch',
    'Async',
    'Custom-Poll-Interval',
    'Helper-Method',
    'Lang',
    'Os',
    'Package-Version',
    'Poll-Helper',
    'Retry-Count',
    'Runtime',
    'Runtime-Version',
    'Timeout',
  ].map((name) => `X-Stainless-${name}`),
  'Cache-Control',
].join(',');
/** 12 hours, as Ollama. */
const MAX_AGE = '43200';

/** Which browser origins may call: Ollama's defaults plus the ones given, or every origin with `*`. */
export class CorsPolicy {
  readonly allowAll: boolean;
  readonly #exact = new Set<string>();
  readonly #patterns: Array<{ prefix: string; suffix: string }> = [];

  /** `origins` as `OLLAMA_ORIGINS` lists them: exact origins, patterns with one `*`, or `*` alone. */
  constructor(origins: readonly string[] = []) {
    this.allowAll = origins.includes('*');
    for (const origin of [...origins, ...OLLAMA_DEFAULT_ORIGINS]) {
      const lower = origin.toLowerCase();
      const star = lower.indexOf('*');
      if (star === -1) this.#exact.add(lower);
      else this.#patterns.push({ prefix: lower.slice(0, star), suffix: lower.slice(star + 1) });
    }
  }

  /** True when a page of `origin` may call. */
  allows(origin: string): boolean {
    if (this.allowAll || this.#exact.has(origin)) return true;
    return this.#patterns.some(
      ({ prefix, suffix }) =>
        origin.length >= prefix.length + suffix.length &&
        origin.startsWith(prefix) &&
        origin.endsWith(suffix),
    );
  }
}

/**
 * CORS as Ollama answers it (gin-contrib/cors as Ollama configures it). A request without `Origin`,
 * or whose origin is the server's own (`http(s)://<Host>`), is not CORS: nothing is added. An
 * origin not allowed gets 403 with an empty body, whatever the method. An allowed `OPTIONS` is a
 * preflight, answered 204 with the allowed methods and headers, cached 12 h by the browser; any
 * other allowed request gets `Access-Control-Allow-Origin` (and `Vary: Origin`) on its answer.
 * `Access-Control-Expose-Headers: x-lunar-cache` lets a page read whether the cache answered.
 * Returns true when it answered the request itself.
 */
export function applyCors(policy: CorsPolicy, request: IncomingMessage, response: ServerResponse): boolean {
  const origin = request.headers.origin;
  if (origin === undefined || origin === '') return false;
  const host = request.headers.host;
  if (host !== undefined && (origin === `http://${host}` || origin === `https://${host}`)) return false;
  if (!policy.allows(origin)) {
    request.resume();
    response.writeHead(403, { 'content-length': 0, 'x-lunar-cache': 'bypass' }).end();
    return true;
  }
  response.setHeader('access-control-allow-origin', policy.allowAll ? '*' : origin);
  if (request.method === 'OPTIONS') {
    request.resume();
    response.setHeader('access-control-allow-methods', ALLOWED_METHODS);
    response.setHeader('access-control-allow-headers', ALLOWED_HEADERS);
    response.setHeader('access-control-max-age', MAX_AGE);
    if (!policy.allowAll) {
      response.setHeader('vary', [
        'Origin',
        'Access-Control-Request-Method',
        'Access-Control-Request-Headers',
      ]);
    }
    response.writeHead(204, { 'x-lunar-cache': 'bypass' }).end();
    return true;
  }
  response.setHeader('access-control-expose-headers', 'x-lunar-cache');
  if (!policy.allowAll) response.setHeader('vary', 'Origin');
  return false;
}
