import { jsonLimitPassed } from './json-limits.js';

/** A proxied body: `missing` (none), `raw` (not something the cache can key), or the parsed request. */
export type ProxyBody =
  | { kind: 'missing' }
  | { kind: 'raw'; bytes: Buffer }
  | { kind: 'request'; request: Record<string, unknown> & { model: string }; bytes: Buffer };

/**
 * Reads a proxied request body. Only a JSON object with a non-empty `model`, within
 * `DEFAULT_JSON_LIMITS` (checked before it is parsed), goes through the typed client and the cache;
 * anything else is forwarded as is, so the host answers it with its own status and error text,
 * exactly as Ollama would. A body past the limits (a chat of 340,000 messages) is relayed unparsed:
 * the proxy's event loop does not spend a tenth of a second parsing, keying and validating it.
 */
export function readProxyBody(body: unknown): ProxyBody {
  if (!Buffer.isBuffer(body) || body.length === 0) return { kind: 'missing' };
  const text = body.toString('utf8');
  if (jsonLimitPassed(text) !== undefined) return { kind: 'raw', bytes: body };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'raw', bytes: body };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { kind: 'raw', bytes: body };
  const model = (value as { model?: unknown }).model;
  if (typeof model !== 'string' || model === '') return { kind: 'raw', bytes: body };
  return { kind: 'request', request: value as Record<string, unknown> & { model: string }, bytes: body };
}
