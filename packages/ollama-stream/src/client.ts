import type { z } from 'zod';
import type { ChatRequest, ChatResponse } from './chat-types.js';
import type { KeepAlive } from './common-types.js';
import { isOllamaError, OllamaError } from './errors.js';
import type { ClientContext } from './exchange.js';
import type { GenerateRequest, GenerateResponse } from './generate-types.js';
import type {
  EmbeddingsRequest,
  EmbeddingsResponse,
  EmbedRequest,
  EmbedResponse,
  PsResponse,
  ShowRequest,
  ShowResponse,
  TagsResponse,
  VersionResponse,
} from './model-types.js';
import { OllamaStream } from './ollama-stream.js';
import {
  CALL_OPTIONS,
  checkOptions,
  type OllamaClientOptions,
  positiveInteger,
  type RequestOptions,
  type ResolvedOptions,
  type ResolvedTimeouts,
  resolveHeaders,
  resolveOptions,
  resolveTimeouts,
} from './options.js';
import { type HostProbe, type ProbeOptions, Prober } from './probe.js';
import { type RawRequest, type RawRequestOptions, type RawResponse, requestRaw } from './raw-request.js';
import { checkRawRequest } from './raw-request-check.js';
import { requestJson } from './request-json.js';
import { RequestScope } from './request-scope.js';
import {
  chatResponseSchema,
  embeddingsResponseSchema,
  embedResponseSchema,
  generateResponseSchema,
  psResponseSchema,
  showResponseSchema,
  tagsResponseSchema,
  versionResponseSchema,
} from './response-schemas.js';
import { chatRoute, generateRoute, type StreamRoute } from './stream-routes.js';
import { type HostStats, Upstreams } from './upstreams.js';
import { validate } from './validate.js';

export type ChatStream = OllamaStream<ChatResponse>;
export type GenerateStream = OllamaStream<GenerateResponse>;

export interface WarmupOptions extends RequestOptions {
  /** How long Ollama keeps the model loaded afterwards (seconds, or a duration such as `"30m"`). Default: Ollama's. */
  keepAlive?: KeepAlive;
}

export interface WarmupResult {
  model: string;
  /** Wall time of the warm-up call, in ms (the load, when the model was not loaded). */
  totalMs: number;
  /** Ollama's load_duration in ms, when it reports one. */
  loadMs: number | undefined;
}

type ModelRequest = { model?: unknown };

const RAW_REQUEST_OPTIONS: ReadonlySet<string> = new Set([...CALL_OPTIONS, 'maxBodyBytes']);
const WARMUP_OPTIONS: ReadonlySet<string> = new Set([...CALL_OPTIONS, 'keepAlive']);

function checkRequest(method: string, request: unknown): asserts request is ModelRequest {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    throw new TypeError(`Expected the ${method} request to be an object, got ${String(request)}`);
  }
  const { model } = request as ModelRequest;
  if (typeof model !== 'string' || model === '') {
    throw new TypeError(
      `Expected \`model\` of the ${method} request to be a non-empty string, got ${JSON.stringify(model)}`,
    );
  }
}

/**
 * A client for one Ollama server or several: pooled keep-alive connections (undici), streamed
 * answers, typed errors, Lunar's own deadlines, retries before the first byte only.
 */
export class OllamaClient {
  readonly #context: ClientContext;
  readonly #options: ResolvedOptions;
  readonly #postHeaders: Record<string, string>;
  readonly #getHeaders: Record<string, string>;
  readonly #prober: Prober;
  #closing: Promise<void> | undefined;

  constructor(options: OllamaClientOptions = {}) {
    this.#options = resolveOptions(options);
    this.#context = { options: this.#options, upstreams: new Upstreams(this.#options), active: new Set() };
    this.#getHeaders = { 'user-agent': 'lunar-ollama-stream', ...this.#options.headers };
    this.#postHeaders = { 'content-type': 'application/json', ...this.#getHeaders };
    this.#prober = new Prober(this.#context, this.#getHeaders);
  }

  /** Chat. Streams by default (an OllamaStream of chunks); with `stream: false`, resolves to the whole answer. */
  chat(request: ChatRequest & { stream: false }, options?: RequestOptions): Promise<ChatResponse>;
  chat(request: ChatRequest & { stream?: true }, options?: RequestOptions): ChatStream;
  chat(request: ChatRequest, options?: RequestOptions): ChatStream | Promise<ChatResponse>;
  chat(request: ChatRequest, options: RequestOptions = {}): ChatStream | Promise<ChatResponse> {
    checkRequest('chat', request);
    if (request.stream === false) {
      return this.#json('/api/chat', request, chatResponseSchema, 'a chat response', options, request.model);
    }
    return this.#stream(chatRoute, '/api/chat', request, options);
  }

  /** Complete a prompt. Streams by default; with `stream: false`, resolves to the whole answer. */
  generate(request: GenerateRequest & { stream: false }, options?: RequestOptions): Promise<GenerateResponse>;
  generate(request: GenerateRequest & { stream?: true }, options?: RequestOptions): GenerateStream;
  generate(request: GenerateRequest, options?: RequestOptions): GenerateStream | Promise<GenerateResponse>;
  generate(
    request: GenerateRequest,
    options: RequestOptions = {},
  ): GenerateStream | Promise<GenerateResponse> {
    checkRequest('generate', request);
    if (request.stream === false) {
      const what = 'a generate response';
      return this.#json('/api/generate', request, generateResponseSchema, what, options, request.model);
    }
    return this.#stream(generateRoute, '/api/generate', request, options);
  }

  /** Embed one input or several (`POST /api/embed`). */
  embed(request: EmbedRequest, options: RequestOptions = {}): Promise<EmbedResponse> {
    checkRequest('embed', request);
    return this.#json(
      '/api/embed',
      request,
      embedResponseSchema,
      'an embed response',
      options,
      request.model,
    );
  }

  /** One embedding with the legacy API (`POST /api/embeddings`): `{ embedding: number[] }`. */
  embeddings(request: EmbeddingsRequest, options: RequestOptions = {}): Promise<EmbeddingsResponse> {
    checkRequest('embeddings', request);
    const what = 'an embeddings response';
    return this.#json('/api/embeddings', request, embeddingsResponseSchema, what, options, request.model);
  }

  /** Models on the server (`GET /api/tags`). */
  tags(options: RequestOptions = {}): Promise<TagsResponse> {
    return this.#json('/api/tags', undefined, tagsResponseSchema, 'a model list', options, undefined);
  }

  /** Models loaded now (`GET /api/ps`). */
  ps(options: RequestOptions = {}): Promise<PsResponse> {
    return this.#json('/api/ps', undefined, psResponseSchema, 'a loaded-model list', options, undefined);
  }

  /** A model's details, template and capabilities (`POST /api/show`). */
  show(request: ShowRequest | string, options: RequestOptions = {}): Promise<ShowResponse> {
    const body = typeof request === 'string' ? { model: request } : request;
    checkRequest('show', body);
    return this.#json('/api/show', body, showResponseSchema, 'model details', options, body.model);
  }

  /** The server's version (`GET /api/version`). */
  version(options: RequestOptions = {}): Promise<VersionResponse> {
    return this.#json('/api/version', undefined, versionResponseSchema, 'a version', options, undefined);
  }

  /**
   * Send a request the typed methods do not cover, over the same pool, retries and host skipping,
   * and get Ollama's answer whatever its status (a 404 is a response here, not an error). Resolves
   * once the headers arrive; read the body once, as chunks or with `text()`/`json()`/`bytes()`
   * (at most `maxBodyBytes`), or `cancel()` it. `headersMs` runs until the headers, `idleMs`
   * between body chunks, `totalMs` until the body's end. Bad input throws a TypeError at the call.
   */
  request(request: RawRequest, options: RawRequestOptions = {}): Promise<RawResponse> {
    const { headers, timeouts } = this.#prepare(options, this.#getHeaders, RAW_REQUEST_OPTIONS);
    const outgoing = checkRawRequest(request, headers);
    const maxBodyBytes = positiveInteger('maxBodyBytes', options.maxBodyBytes, this.#options.maxBodyBytes);
    return requestRaw(this.#context, outgoing, this.#scope(options, timeouts), maxBodyBytes);
  }

  /**
   * Load a model now, so the first user turn does not pay the load: an empty generate request, or an
   * empty embed request for a model that cannot generate.
   */
  async warmup(model: string, options: WarmupOptions = {}): Promise<WarmupResult> {
    checkRequest('warmup', { model });
    checkOptions(options, WARMUP_OPTIONS);
    const { keepAlive: keepAliveOption, ...callOptions } = options;
    const keepAlive = keepAliveOption === undefined ? {} : { keep_alive: keepAliveOption };
    const startedAt = performance.now();
    let loadDuration: number | undefined;
    try {
      const request = { model, prompt: '', stream: false, ...keepAlive };
      const what = 'a generate response';
      loadDuration = (
        await this.#json('/api/generate', request, generateResponseSchema, what, callOptions, model)
      ).load_duration;
    } catch (error) {
      if (
        !isOllamaError(error, 'OLLAMA_HTTP_ERROR') ||
        error.status !== 400 ||
        !/support/i.test(error.ollamaMessage ?? error.message)
      ) {
        throw error;
      }
      const request = { model, input: [], ...keepAlive };
      loadDuration = (
        await this.#json('/api/embed', request, embedResponseSchema, 'an embed response', callOptions, model)
      ).load_duration;
    }
    return {
      model,
      totalMs: performance.now() - startedAt,
      loadMs: loadDuration === undefined ? undefined : loadDuration / 1e6,
    };
  }

  /**
   * Ask every host for its version at once, each over a connection of its own (not the pool, so a
   * probe never waits behind calls; not balanced), with no retries, within `timeoutMs`: one result
   * per host, in the order of `hosts`; a host that is down is a result with `ok: false`, never a
   * rejection. With `maxAgeMs`, a host's probe sent less than that long ago (answered or in flight)
   * is shared instead of sending another. A host that refuses connections is taken out of rotation
   * as a failed call would take it (several hosts); a skipped host that answers is put back at once.
   */
  probe(options: ProbeOptions = {}): Promise<HostProbe[]> {
    return this.#prober.probe(options, this.#closing ? this.#closedError() : undefined);
  }

  /** Per-host state: requests, failures, connections, running and queued requests, skipped until when. */
  hosts(): HostStats[] {
    return this.#context.upstreams.stats();
  }

  /** Abort every call in flight (OLLAMA_ABORTED), close every connection; later calls fail. */
  close(): Promise<void> {
    if (!this.#closing) {
      for (const scope of [...this.#context.active]) scope.abort(this.#closedError());
      this.#closing = this.#context.upstreams.close();
    }
    return this.#closing;
  }

  #closedError(): OllamaError {
    return new OllamaError('OLLAMA_ABORTED', 'The Ollama client is closed');
  }

  /**
   * Check a call's options and start its scope (deadlines armed, registered for `close()`): the
   * last step before the request goes out, so nothing that can throw comes after it.
   */
  #scope(options: RequestOptions, timeouts: ResolvedTimeouts): RequestScope {
    const where = this.#context.upstreams.urls.join(', ');
    const scope = new RequestScope(
      this.#context.active,
      options.signal,
      timeouts,
      where,
      this.#options.connections,
    );
    if (this.#closing) scope.abort(this.#closedError());
    return scope;
  }

  /** A call's headers (`base` and its own) and deadlines (the client's and its own), checked. */
  #prepare(
    options: RequestOptions,
    base: Record<string, string>,
    known: ReadonlySet<string> = CALL_OPTIONS,
  ): { headers: Record<string, string>; timeouts: ResolvedTimeouts } {
    checkOptions(options, known);
    return {
      headers:
        options.headers === undefined ? base : { ...base, ...resolveHeaders('headers', options.headers) },
      timeouts:
        options.timeouts === undefined
          ? this.#options.timeouts
          : resolveTimeouts('timeouts', options.timeouts, this.#options.timeouts),
    };
  }

  #stream<T extends ChatResponse | GenerateResponse>(
    route: StreamRoute<T>,
    path: string,
    request: ChatRequest | GenerateRequest,
    options: RequestOptions,
  ): OllamaStream<T> {
    const { headers, timeouts } = this.#prepare(options, this.#postHeaders);
    const outgoing = { method: 'POST' as const, path, body: JSON.stringify(request), headers };
    return new OllamaStream(this.#context, route, outgoing, this.#scope(options, timeouts), request.model);
  }

  async #json<T>(
    path: string,
    body: object | undefined,
    schema: z.ZodType<T>,
    what: string,
    options: RequestOptions,
    model: string | undefined,
  ): Promise<T> {
    const { headers, timeouts } = this.#prepare(
      options,
      body === undefined ? this.#getHeaders : this.#postHeaders,
    );
    const outgoing =
      body === undefined
        ? { method: 'GET' as const, path, headers }
        : { method: 'POST' as const, path, headers, body: JSON.stringify(body) };
    const scope = this.#scope(options, timeouts);
    try {
      const { value, host } = await requestJson(this.#context, outgoing, scope, model);
      return validate(schema, value, what, host);
    } finally {
      scope.dispose();
    }
  }
}
