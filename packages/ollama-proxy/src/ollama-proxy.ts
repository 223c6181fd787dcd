import type { IncomingMessage, ServerResponse } from 'node:http';
import { LLMCache } from '@lunar/llm-cache';
import type { OllamaClient, RawRequest } from '@lunar/ollama-stream';
import { isAllowedHost } from './allowed-host.js';
import { cacheModeOf } from './cache-control.js';
import type { ProxyContext } from './context.js';
import { applyCors, CorsPolicy } from './cors.js';
import { BUSY_ERROR } from './error-answer.js';
import { OllamaProxyError } from './errors.js';
import { InFlight } from './in-flight.js';
import { KeepAliveOnHit } from './keep-alive-on-hit.js';
import { nativeCall } from './native-calls.js';
import { openAICall, openAIError } from './openai/openai-calls.js';
import { type OllamaProxyOptions, type ResolvedProxyOptions, resolveProxyOptions } from './options.js';
import { nativeRequest, readProxyBody } from './proxy-body.js';
import { forwardedHeaders, relay } from './raw-relay.js';
import { type RequestBody, readRequestBody } from './request-body.js';
import { ResponseStream } from './response-stream.js';
import { type CachedRoute, cachedRoute, isLightCall } from './routes.js';

/** Methods relayed to the host; anything else gets Ollama's 404. */
const RELAYED_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * A drop-in front for Ollama: the native LLM routes through the LLM cache, every other route
 * relayed to the host as it is. `handle` is a `node:http` request listener; `ollamaProxyPlugin`
 * mounts it in fastify.
 */
export class OllamaProxy {
  readonly client: OllamaClient;
  readonly llmCache: LLMCache;
  readonly #options: ResolvedProxyOptions;
  readonly #context: ProxyContext;
  readonly #cors: CorsPolicy | undefined;
  #closed = false;

  constructor(options: OllamaProxyOptions = {}) {
    this.#options = resolveProxyOptions(options);
    this.client = this.#options.client;
    this.llmCache = this.#options.llmCache ?? new LLMCache();
    this.#context = {
      client: this.client,
      llmCache: this.llmCache,
      calls: new InFlight(),
      light: new InFlight(),
      keepAlive: new KeepAliveOnHit(this.client, this.#options.logger),
      observer: this.#options.observer,
      logger: this.#options.logger,
    };
    this.#cors = this.#options.cors ? new CorsPolicy(this.#options.origins) : undefined;
  }

  /** Calls running now that count against `maxInFlight`. */
  get inFlight(): number {
    return this.#context.calls.size;
  }

  /** Answers one request (a `node:http` request listener: `http.createServer(proxy.handle)`). */
  readonly handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (this.#cors !== undefined && applyCors(this.#cors, request, response)) return;
    if (this.#options.hostCheck && !isAllowedHost(request.headers.host)) {
      request.resume();
      response.writeHead(403, { 'content-length': 0, 'x-lunar-cache': 'bypass' }).end();
      return;
    }
    const out = new ResponseStream(response);
    try {
      await this.#route(request, out, pathOf(request.url));
    } catch (error) {
      // The client went away mid-body, or a bug: the answer cannot be trusted, so it ends here.
      if (!out.gone) this.#options.logger?.error({ err: error }, 'proxied request failed');
      out.json(500, { error: 'internal server error' }, { 'x-lunar-cache': 'bypass' });
    }
  };

  /** Resolves once no call is running. */
  async idle(): Promise<void> {
    await Promise.all([this.#context.calls.idle(), this.#context.light.idle()]);
  }

  /** Aborts every call running now (their clients get what a failed call gets); the proxy stays open. */
  abortAll(reason: Error = new OllamaProxyError('OLLAMA_PROXY_CLOSED', 'the proxy is shutting down')): void {
    this.#context.calls.abortAll(reason);
    this.#context.light.abortAll(reason);
    this.#context.keepAlive.abortAll(reason);
  }

  /** Aborts every call still running and closes the Ollama client when the proxy made it. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.abortAll();
    if (this.#options.ownsClient) await this.client.close();
  }

  async #route(request: IncomingMessage, out: ResponseStream, path: string): Promise<void> {
    const method = request.method ?? 'GET';
    const cached = cachedRoute(method, path);
    if (cached !== undefined) return this.#cached(request, out, cached);
    if (!RELAYED_METHODS.has(method)) {
      request.resume();
      out.start(404, { 'content-type': 'text/plain', 'x-lunar-cache': 'bypass' });
      out.end('404 page not found');
      return;
    }
    return this.#relay(request, out, method as RawRequest['method'], path);
  }

  /** True, with the 503 sent (in OpenAI's shape on `/v1`), when `maxInFlight` calls are running already. */
  #refusedAsBusy(out: ResponseStream, route: string, path: string): boolean {
    if (this.#context.calls.size < this.#options.maxInFlight) return false;
    this.#context.observer.busy?.({ route, path });
    const headers = { 'retry-after': '1', 'x-lunar-cache': 'bypass' };
    if (path.startsWith('/v1/')) {
      const body = `${openAIError(503, BUSY_ERROR)}\n`;
      out.start(503, {
        ...headers,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      });
      out.end(body);
    } else {
      out.json(503, { error: BUSY_ERROR }, headers);
    }
    return true;
  }

  async #cached(request: IncomingMessage, out: ResponseStream, cached: CachedRoute): Promise<void> {
    const startedAt = performance.now();
    const route = `POST ${cached.path}`;
    const body = await readRequestBody(request, this.#options.maxParsedBytes);
    const parsed = body.kind === 'whole' ? readProxyBody(body.bytes) : undefined;
    if (parsed?.kind === 'missing' && cached.api === 'ollama') {
      out.json(400, { error: 'missing request body' }, { 'x-lunar-cache': 'bypass' });
      return;
    }
    if (this.#refusedAsBusy(out, route, cached.path)) return;
    if (parsed?.kind === 'request') {
      const call = {
        context: this.#context,
        route,
        path: cached.path,
        operation: cached.operation,
        api: cached.api,
        request: parsed.request,
        mode: cacheModeOf(request.headers['cache-control']),
        out,
        startedAt,
      };
      if (cached.api === 'openai') return openAICall(call, parsed.bytes, forwardedHeaders(request.headers));
      const native = nativeRequest(cached.operation, parsed.request);
      if (native !== undefined) return nativeCall(call, native);
    }
    // Too large to parse and key (relayed as it streams in), or not a request the cache can key:
    // the host answers it as it is, uncached.
    return relay(this.#context, this.#context.calls, out, relayed(request, 'POST', cached.path, body), route);
  }

  async #relay(
    request: IncomingMessage,
    out: ResponseStream,
    method: RawRequest['method'],
    path: string,
  ): Promise<void> {
    const route = `${method} ${path}`;
    const light = isLightCall(method, path);
    if (!light && this.#refusedAsBusy(out, route, path)) {
      request.resume();
      return;
    }
    // A read has no body to send: whatever came with it is drained.
    const read = method === 'GET' || method === 'HEAD';
    if (read) request.resume();
    const body = read ? undefined : await readRequestBody(request, this.#options.maxParsedBytes);
    const raw = relayed(request, method, request.url ?? path, body);
    return relay(this.#context, light ? this.#context.light : this.#context.calls, out, raw, route);
  }
}

/**
 * The request the host gets for a relayed call: the client's method, path (with its query) and
 * forwarded headers, and its body: the bytes read, or the rest streamed as it arrives with its
 * declared length.
 */
function relayed(
  request: IncomingMessage,
  method: RawRequest['method'],
  path: string,
  body: RequestBody | undefined,
): RawRequest {
  const raw: RawRequest = { method, path, headers: forwardedHeaders(request.headers) };
  if (body === undefined) return raw;
  if (body.kind === 'whole') {
    if (body.bytes.length > 0) raw.body = body.bytes;
  } else {
    raw.body = body.chunks;
    if (body.length !== undefined) raw.bodyLength = body.length;
  }
  return raw;
}

/** The path of a request URL, without its query. */
function pathOf(url: string | undefined): string {
  const path = (url ?? '/').split('?', 1)[0]!;
  return path === '' ? '/' : path;
}
