import type { CachePolicy, LLMRequest, LLMRoute } from './types.js';

/**
 * True when Ollama gives the same answer to the same request: embeddings always; chat and
 * generate when `options.temperature` is 0 or `options.seed` is an integer other than -1.
 * A missing temperature means Ollama's default, 0.8: sampled, so not deterministic. Seed -1 is
 * Ollama's default and means "random", so it counts as no seed.
 */
export function isDeterministic(request: LLMRequest, route: LLMRoute): boolean {
  if (route === 'embed' || route === 'embeddings') return true;
  const options = request.options as { temperature?: unknown; seed?: unknown } | undefined;
  if (typeof options !== 'object' || options === null) return false;
  if (options.temperature === 0) return true;
  const seed = options.seed;
  return typeof seed === 'number' && Number.isInteger(seed) && seed !== -1;
}

/** Applies a policy to one request. */
export function allowsCaching(policy: CachePolicy, request: LLMRequest, route: LLMRoute): boolean {
  if (policy === 'deterministic') return isDeterministic(request, route);
  if (policy === 'always') return true;
  return policy(request, route) === true;
}
