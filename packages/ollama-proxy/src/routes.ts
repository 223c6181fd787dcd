import type { ProxyCallRecord, ProxyOperation } from './options.js';

/** A route the proxy answers through the cache. */
export interface CachedRoute {
  path: string;
  operation: ProxyOperation;
  api: ProxyCallRecord['api'];
}

/** The routes answered through the LLM cache (POST only); every other route is relayed. */
export const CACHED_ROUTES: readonly CachedRoute[] = [
  { path: '/api/chat', operation: 'chat', api: 'ollama' },
  { path: '/api/generate', operation: 'generate', api: 'ollama' },
  { path: '/api/embed', operation: 'embed', api: 'ollama' },
  { path: '/api/embeddings', operation: 'embeddings', api: 'ollama' },
  { path: '/v1/chat/completions', operation: 'chat', api: 'openai' },
  { path: '/v1/completions', operation: 'generate', api: 'openai' },
  { path: '/v1/embeddings', operation: 'embed', api: 'openai' },
];

const BY_PATH = new Map(CACHED_ROUTES.map((route) => [route.path, route]));

/**
 * Ollama's own routes (methods by path, fastify's path syntax): a fastify app that mounts the proxy
 * names them in its routing (logs, metrics); any other path is relayed just the same.
 */
export const OLLAMA_ROUTES: Readonly<Record<string, readonly string[]>> = {
  '/': ['GET', 'HEAD'],
  '/api/version': ['GET', 'HEAD'],
  '/api/tags': ['GET', 'HEAD'],
  '/api/ps': ['GET'],
  '/api/show': ['POST'],
  '/api/chat': ['POST'],
  '/api/generate': ['POST'],
  '/api/embed': ['POST'],
  '/api/embeddings': ['POST'],
  '/api/pull': ['POST'],
  '/api/push': ['POST'],
  '/api/create': ['POST'],
  '/api/copy': ['POST'],
  '/api/delete': ['DELETE'],
  '/api/blobs/:digest': ['HEAD', 'POST'],
  '/v1/chat/completions': ['POST'],
  '/v1/completions': ['POST'],
  '/v1/embeddings': ['POST'],
  '/v1/models': ['GET'],
  '/v1/models/:model': ['GET'],
  '/v1/responses': ['POST'],
};

/** The cached route a request is for, or undefined when it is relayed. */
export function cachedRoute(method: string, path: string): CachedRoute | undefined {
  return method === 'POST' ? BY_PATH.get(path) : undefined;
}

/**
 * True for short calls that do not count against `maxInFlight`: reads (GET, HEAD), preflights,
 * and `/api/show` (model metadata).
 */
export function isLightCall(method: string, path: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || path === '/api/show';
}
