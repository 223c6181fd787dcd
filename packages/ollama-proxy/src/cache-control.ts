import type { CacheMode } from '@lunar/llm-cache';

/**
 * The LLM cache mode a request's `Cache-Control` asks for: `no-cache` -> `'no-cache'` (do not
 * serve a stored answer; still join one in flight and store the new one), `no-store` ->
 * `'no-store'` (never store this answer), both -> `'bypass'`; anything else -> `'default'`.
 */
export function cacheModeOf(header: string | string[] | undefined): CacheMode {
  if (header === undefined) return 'default';
  const directives = new Set(
    (Array.isArray(header) ? header.join(',') : header)
      .toLowerCase()
      .split(',')
      .map((directive) => directive.trim().split('=', 1)[0]),
  );
  const noCache = directives.has('no-cache');
  const noStore = directives.has('no-store');
  if (noCache && noStore) return 'bypass';
  if (noCache) return 'no-cache';
  if (noStore) return 'no-store';
  return 'default';
}
