import type { ChatRequest, EmbeddingsRequest, EmbedRequest, GenerateRequest } from '@lunar/ollama-stream';
import { jsonLimitPassed } from './json-limits.js';
import type { ProxyOperation } from './options.js';

/** A parsed request body: a JSON object with a non-empty `model`, its other fields as the client sent them. */
export type ProxiedRequest = Record<string, unknown> & { model: string };

/** A proxied body: `missing` (none), `raw` (not something the cache can key), or the parsed request. */
export type ProxyBody =
  | { kind: 'missing' }
  | { kind: 'raw'; bytes: Buffer }
  | { kind: 'request'; request: ProxiedRequest; bytes: Buffer };

/** A native call's request, typed by its operation. */
export type NativeRequest =
  | { readonly operation: 'chat'; readonly request: ChatRequest }
  | { readonly operation: 'generate'; readonly request: GenerateRequest }
  | { readonly operation: 'embed'; readonly request: EmbedRequest }
  | { readonly operation: 'embeddings'; readonly request: EmbeddingsRequest };

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
  return { kind: 'request', request: value as ProxiedRequest, bytes: body };
}

/**
 * A native call's request as its operation's type, or undefined when a field the proxy acts on has
 * another type: a `stream` that is not a boolean, an embed without its `input` (a model load), a
 * legacy embedding without its `prompt`. Such a call is relayed, and the host answers it as Ollama
 * would. The other fields are the host's to judge, as they are without the proxy.
 */
export function nativeRequest(operation: ProxyOperation, request: ProxiedRequest): NativeRequest | undefined {
  switch (operation) {
    case 'chat':
      return hasBooleanStream(request) ? { operation, request } : undefined;
    case 'generate':
      return hasBooleanStream(request) ? { operation, request } : undefined;
    case 'embed':
      return hasInput(request) ? { operation, request } : undefined;
    case 'embeddings':
      return hasPrompt(request) ? { operation, request } : undefined;
  }
}

function hasBooleanStream(request: ProxiedRequest): request is ProxiedRequest & { stream?: boolean } {
  return request.stream === undefined || typeof request.stream === 'boolean';
}

function hasInput(request: ProxiedRequest): request is ProxiedRequest & { input: string | string[] } {
  const { input } = request;
  return (
    typeof input === 'string' || (Array.isArray(input) && input.every((item) => typeof item === 'string'))
  );
}

function hasPrompt(request: ProxiedRequest): request is ProxiedRequest & { prompt: string } {
  return typeof request.prompt === 'string';
}
