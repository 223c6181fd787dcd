import { hash } from 'node:crypto';
import { CanonicalFormError, canonicalForm } from './canonical-form.js';
import { describe } from './describe.js';
import { LLMCacheError } from './errors.js';
import type { LLMRequest, LLMRoute } from './types.js';

/** Bumped whenever the canonical form changes, so old entries are never read with new keys. */
export const KEY_PREFIX = 'llmc1';

/** Transport-only fields: they change how the answer travels, not what it is. */
const TRANSPORT_FIELDS: ReadonlySet<string> = new Set(['stream', 'keep_alive']);

/**
 * The cache key of a request: `llmc1:<namespace>:<base64url SHA-256>` of a canonical form made of
 * the route and every field of the request, with keys sorted at every level; `stream` and
 * `keep_alive` are left out. The model name is kept as sent (`llama3.2` and `llama3.2:latest` are
 * two keys), because Ollama echoes it in every chunk and a replay must too.
 *
 * `route` defaults to what the request looks like: `messages` -> `chat`, `input` -> `embed`,
 * otherwise `generate`. Pass `'embeddings'` for the legacy `/api/embeddings` route, whose
 * requests look like generate requests.
 */
export function cacheKey(request: LLMRequest, route?: LLMRoute, namespace = 'default'): string {
  return `${KEY_PREFIX}:${namespace}:${hash('sha256', canonicalRequest(request, route), 'base64url')}`;
}

/** The text that is hashed into the key (exported for tests and debugging). */
export function canonicalRequest(request: LLMRequest, route?: LLMRoute): string {
  assertRequest(request);
  const routeName = route ?? inferRoute(request);
  try {
    return `${routeName.length}:${routeName}${canonicalForm(request, TRANSPORT_FIELDS)}`;
  } catch (error) {
    if (!(error instanceof CanonicalFormError)) throw error;
    const where = error.path.map((step) => (typeof step === 'number' ? `[${step}]` : `.${step}`)).join('');
    throw new LLMCacheError('LLM_CACHE_INVALID_REQUEST', `request${where}: ${error.message}`, {
      cause: error,
    });
  }
}

/** The route a request is keyed under when the caller does not say. */
export function inferRoute(request: LLMRequest): LLMRoute {
  if (request.messages !== undefined) return 'chat';
  if (request.input !== undefined) return 'embed';
  return 'generate';
}

export function assertRequest(request: unknown): asserts request is LLMRequest {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    throw new LLMCacheError(
      'LLM_CACHE_INVALID_REQUEST',
      `request must be an object, got ${describe(request)}`,
    );
  }
  const model = (request as { model?: unknown }).model;
  if (typeof model !== 'string' || model === '') {
    throw new LLMCacheError(
      'LLM_CACHE_INVALID_REQUEST',
      `request.model must be a non-empty string, got ${describe(model)}`,
    );
  }
}
