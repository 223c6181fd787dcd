import type { CacheMode, LLMCache } from '@lunar/llm-cache';
import type { OllamaClient } from '@lunar/ollama-stream';
import type { InFlight } from './in-flight.js';
import type { KeepAliveOnHit } from './keep-alive-on-hit.js';
import type { ProxyCallRecord, ProxyLogger, ProxyObserver, ProxyOperation } from './options.js';
import type { ProxiedRequest } from './proxy-body.js';
import type { ResponseStream } from './response-stream.js';

/** What every call of one proxy shares. */
export interface ProxyContext {
  readonly client: OllamaClient;
  readonly llmCache: LLMCache;
  /** Calls that count against `maxInFlight`. */
  readonly calls: InFlight;
  /** Short calls that do not (GET, HEAD, OPTIONS, `/api/show`): tracked so `close()` can end them. */
  readonly light: InFlight;
  /** Sends the host what a cache hit's `keep_alive` asks for. */
  readonly keepAlive: KeepAliveOnHit;
  readonly observer: ProxyObserver;
  readonly logger: ProxyLogger | undefined;
}

/** One call on a cached route: where it goes, how the cache treats it, who hears about it. */
export interface CachedCall {
  readonly context: ProxyContext;
  readonly route: string;
  readonly path: string;
  readonly operation: ProxyOperation;
  readonly api: ProxyCallRecord['api'];
  /** The parsed request body. */
  readonly request: ProxiedRequest;
  readonly mode: CacheMode;
  readonly out: ResponseStream;
  /** `performance.now()` when the request arrived. */
  readonly startedAt: number;
}

/** Sends a whole answer (200, with its length) and tells the observer it went out. */
export function sendWhole(
  call: CachedCall,
  text: string,
  contentType: string,
  cache: ProxyCallRecord['cache'],
): void {
  call.out.start(200, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(text),
    'x-lunar-cache': cache,
  });
  call.out.end(text);
  call.context.observer.firstChunk?.(record(call, cache));
  call.context.observer.done?.(record(call, cache));
}

/** Tells the observer about a call at this moment. */
export function record(call: CachedCall, cache: ProxyCallRecord['cache']): ProxyCallRecord {
  const { route, path, operation, api, startedAt } = call;
  return { route, path, operation, api, cache, seconds: (performance.now() - startedAt) / 1000 };
}
