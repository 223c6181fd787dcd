import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { type AgentMemoryConfig, defaultTools, type MemoryStore, openAgentMemory } from '@lunar/agent';
import { LLMCache } from '@lunar/llm-cache';
import { isPostgresLocation, type MemoryError, RedisSessionStore } from '@lunar/memory';
import { EmbeddingCache } from '@lunar/memory-cache';
import { CorsPolicy, InFlight, OllamaProxy, ollamaProxyPlugin } from '@lunar/ollama-proxy';
import { OllamaClient } from '@lunar/ollama-stream';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { ServerContext } from './context.js';
import { LunarServerError } from './errors.js';
import { MemoryCheck } from './health/memory-check.js';
import { READINESS_MAX_AGE_MS, READINESS_TIMEOUT_MS } from './health/readiness.js';
import { BearerAuth } from './http/auth.js';
import { installErrorHandlers } from './http/error-handlers.js';
import { GracefulClose } from './http/graceful-close.js';
import { installJsonParser } from './http/json-body.js';
import { isLoopbackHost } from './http/loopback.js';
import { checkOrigins } from './http/origin-checks.js';
import { countAnswers, refuseWhileClosing } from './http/request-hooks.js';
import { nodeServerTimeouts } from './http/server-timeouts.js';
import { ServerMetrics } from './metrics/server-metrics.js';
import { type ResolvedServerOptions, resolveServerOptions, type ServerOptions } from './options.js';
import { RedisSharing } from './redis/redis-sharing.js';
import { healthRoutes } from './routes/health.js';
import { memoryRoutes } from './routes/memories.js';
import { metricsRoutes } from './routes/metrics.js';
import { turnRoutes } from './routes/turns.js';
import { exceptUiFiles, uiRoutes } from './routes/ui.js';
import { AgentPool } from './turns/agent-pool.js';

export interface CloseOptions {
  /** Overrides the server's `graceMs` for this close. */
  graceMs?: number;
}

function isLogger(value: unknown): value is FastifyBaseLogger {
  const candidate = value as Partial<Record<'info' | 'child', unknown>> | null;
  return typeof candidate?.info === 'function' && typeof candidate.child === 'function';
}

/** How long `listen()` waits for Redis before serving without it. */
export const REDIS_READY_MS = 2_000;

/** Fastify's logging, every line carrying the replica id. */
function logging(options: ResolvedServerOptions) {
  const { logger, replicaId: replica } = options;
  if (isLogger(logger)) return { loggerInstance: logger.child({ replica }) };
  if (logger === false) return { logger: false };
  // The options are pino's, which fastify's type leaves partly out.
  const pinoOptions = (logger === true ? {} : logger) as { base?: Record<string, unknown> | null };
  const base =
    pinoOptions.base === null ? {} : (pinoOptions.base ?? { pid: process.pid, hostname: hostname() });
  return { logger: { ...pinoOptions, base: { ...base, replica } } };
}

function createApp(options: ResolvedServerOptions): FastifyInstance {
  return Fastify({
    ...logging(options),
    ...nodeServerTimeouts(options.requestTimeoutMs),
    bodyLimit: options.bodyLimit,
    logController: new LogController({ disableRequestLogging: true }),
    // The server's own hook answers requests that arrive while it closes, in its words.
    return503OnClosing: false,
  });
}

/** Checks the options and the bind rule: a non-loopback address needs a token. */
export function checkServerOptions(options: ServerOptions): ResolvedServerOptions {
  const resolved = resolveServerOptions(options);
  if (!isLoopbackHost(resolved.host) && resolved.token === undefined) {
    throw new LunarServerError(
      'SERVER_TOKEN_REQUIRED',
      `Refusing to listen on ${resolved.host}, which other machines can reach, without a token: set LUNAR_API_TOKEN (at least 16 characters), or listen on 127.0.0.1`,
    );
  }
  return resolved;
}

/**
 * lunar-server: agent turns over HTTP (SSE, NDJSON or JSON), memories, an Ollama-compatible
 * caching proxy, `/metrics`, `/healthz` and `/readyz`. Made by `createServer`; `listen()` starts it
 * and `close()` drains it.
 */
export class LunarServer {
  /** The fastify instance: add routes before `listen()`. */
  readonly app: FastifyInstance;
  readonly options: ResolvedServerOptions;
  readonly client: OllamaClient;
  readonly llmCache: LLMCache;
  readonly memory: MemoryStore;
  readonly metrics: ServerMetrics;
  readonly agents: AgentPool;
  /** The Ollama-compatible proxy mounted at `/` (`/api/*`, `/v1/chat/completions`, ...). */
  readonly proxy: OllamaProxy;
  /** The link to the other replicas, with the `redis` option. */
  readonly redis: RedisSharing | undefined;
  /** Conversation sessions shared through Redis, with the `redis` option (else each agent keeps its own). */
  readonly sessions: RedisSessionStore | undefined;
  readonly #context: ServerContext;
  readonly #ownsClient: boolean;
  readonly #warmup = new AbortController();
  #url: string | undefined;
  #closing: Promise<void> | undefined;
  readonly #graceful: GracefulClose;

  constructor(options: ServerOptions = {}) {
    const resolved = checkServerOptions(options);
    this.options = resolved;
    this.app = createApp(resolved);
    this.#ownsClient = resolved.client === undefined;
    this.client =
      resolved.client ??
      new OllamaClient({
        hosts: resolved.ollamaHosts,
        connections: resolved.connections,
        timeouts: resolved.timeouts,
      });
    const postgres = isPostgresLocation(resolved.memory);
    const memory = openAgentMemory({
      location: resolved.memory,
      client: this.client,
      embedModel: resolved.embedModel,
      scope: resolved.memoryScope,
      ...(postgres
        ? {
            ...(resolved.memoryVectorSearch === undefined
              ? {}
              : { vectorSearch: resolved.memoryVectorSearch }),
            onError: (error: MemoryError) => this.app.log.warn({ code: error.code }, error.message),
          }
        : { threads: resolved.memoryThreads }),
    });
    this.memory = memory.store;
    this.redis =
      resolved.redis === undefined
        ? undefined
        : new RedisSharing({
            url: resolved.redis,
            // On PostgreSQL, the store's own notifications reach every server's memory-search cache.
            ...(postgres ? {} : { memoryCache: memory.cache }),
            replicaId: resolved.replicaId,
            log: this.app.log,
          });
    // With Redis, conversations live there too, so a session may move between replicas.
    this.sessions =
      resolved.redis === undefined
        ? undefined
        : new RedisSessionStore({
            redis: resolved.redis,
            ttlMs: resolved.sessionTtlMs,
            onError: (error) => this.app.log.warn({ code: error.code }, error.message),
          });
    const store = this.redis?.store ?? resolved.cacheStore;
    this.llmCache = resolved.llmCache ?? new LLMCache(store === undefined ? {} : { store });
    this.agents = new AgentPool(
      {
        client: this.client,
        llmCache: this.llmCache,
        embeddingCache: new EmbeddingCache(),
        memory: memory satisfies AgentMemoryConfig,
        ...(this.sessions === undefined ? {} : { sessions: this.sessions }),
        tools: defaultTools({ memory: { store: memory.store, scope: resolved.memoryScope } }),
        options: resolved.modelOptions,
        ...(resolved.system === undefined ? {} : { system: resolved.system }),
      },
      resolved.models,
    );
    const turns = new InFlight();
    const client = this.client;
    const redis = this.redis;
    this.metrics = new ServerMetrics({
      cache: () => this.llmCache.stats(),
      hosts: () => client.hosts(),
      turnsInFlight: () => turns.size,
      proxiedInFlight: () => this.proxy.inFlight,
      replicaId: resolved.replicaId,
      ...(redis === undefined ? {} : { redis: () => redis.health() }),
    });
    const metrics = this.metrics;
    this.proxy = new OllamaProxy({
      client,
      llmCache: this.llmCache,
      // The server checks Host and Origin on every route, the proxy's included.
      cors: false,
      hostCheck: false,
      maxInFlight: resolved.maxProxied,
      maxParsedBytes: resolved.maxParsedBytes,
      logger: this.app.log,
      observer: {
        firstChunk: (call) => metrics.proxyFirstChunk(call.path, call.cache, call.seconds),
        done: (call) => metrics.proxyDone(call.path, call.cache, call.seconds),
        busy: (call) => metrics.proxyBusy(call.path),
      },
    });
    this.#context = {
      options: resolved,
      client,
      llmCache: this.llmCache,
      agents: this.agents,
      memory: this.memory,
      metrics: this.metrics,
      redis,
      turns,
      readiness: {
        client,
        memory: new MemoryCheck(this.memory, {
          timeoutMs: READINESS_TIMEOUT_MS,
          maxAgeMs: READINESS_MAX_AGE_MS,
        }),
        ...(redis === undefined ? {} : { redis: () => redis.health() }),
        replicaId: resolved.replicaId,
      },
      auth: resolved.token === undefined ? undefined : new BearerAuth(resolved.token),
      closing: () => this.#closing !== undefined,
    };
    this.#graceful = new GracefulClose(this.app.server);
    this.#register();
  }

  /** `http://host:port` once listening. */
  get url(): string | undefined {
    return this.#url;
  }

  get turnsInFlight(): number {
    return this.#context.turns.size;
  }

  /** Proxied Ollama calls running now. */
  get proxiedInFlight(): number {
    return this.proxy.inFlight;
  }

  /** Starts listening on `host:port`; resolves to the URL. */
  async listen(): Promise<string> {
    if (this.#closing || this.#url) {
      throw new LunarServerError(
        'SERVER_STATE',
        this.#closing ? 'The server is closed' : 'Already listening',
      );
    }
    const { host, port } = this.options;
    // The memory store opens (and on PostgreSQL migrates) before the first request; a store that
    // cannot open stops the start with its reason.
    await this.memory.ready;
    if (this.redis !== undefined) {
      // Serve either way: without Redis the replica works alone until it is back.
      const [ready] = await Promise.all([
        this.redis.whenReady(REDIS_READY_MS),
        this.sessions?.whenReady(REDIS_READY_MS),
      ]);
      // When it did not answer, its warning ('redis unavailable ...') is already logged, once.
      if (ready) this.app.log.info('redis ready: the LLM cache and memory invalidations are shared');
    }
    try {
      await this.app.listen({ host, port });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new LunarServerError('SERVER_LISTEN_FAILED', `Cannot listen on ${host}:${port}: ${reason}`, {
        cause: error,
      });
    }
    const address = this.app.server.address() as AddressInfo;
    const shown = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
    this.#url = `http://${shown.includes(':') ? `[${shown}]` : shown}:${address.port}`;
    if (this.options.warmup) this.#startWarmup();
    return this.#url;
  }

  /**
   * Stops accepting connections and lets requests in flight finish; near the end of `graceMs`
   * aborts the rest (a turn ends with an error event saying the server is shutting down, a proxied
   * call as a canceled Ollama request), and at its end closes every connection left (a client that
   * stopped reading, a body still arriving), so it resolves within `graceMs`. Then closes the
   * agents, the memory store, Redis and the Ollama client (when the server made it).
   */
  close(options: CloseOptions = {}): Promise<void> {
    this.#closing ??= this.#shutdown(options.graceMs ?? this.options.graceMs);
    return this.#closing;
  }

  async #shutdown(graceMs: number): Promise<void> {
    this.#warmup.abort();
    try {
      await this.#graceful.close(this.app, graceMs, () => {
        const { turns } = this.#context;
        this.app.log.warn(
          { turns: turns.size, proxied: this.proxy.inFlight, graceMs },
          'grace period nearly over: aborting the requests still in flight',
        );
        turns.abortAll(new LunarServerError('SERVER_SHUTTING_DOWN', 'The server is shutting down'));
        this.proxy.abortAll();
      });
    } finally {
      await this.proxy.close();
      await this.agents.close();
      await this.memory.close();
      await this.sessions?.close();
      await this.redis?.close();
      if (this.#ownsClient) await this.client.close();
    }
  }

  #startWarmup(): void {
    const agent = this.agents.get();
    agent
      ?.warmup({ signal: this.#warmup.signal })
      .then((result) => {
        if (result)
          this.app.log.info({ model: result.model, ms: Math.round(result.totalMs) }, 'model loaded');
      })
      .catch((error: unknown) => {
        if (this.#warmup.signal.aborted) return;
        const reason = error instanceof Error ? error.message : String(error);
        this.app.log.warn(`could not load the model ${this.options.model} at start: ${reason}`);
      });
  }

  #register(): void {
    const { app } = this;
    const context = this.#context;
    countAnswers(app, context.metrics, () => this.#graceful.cut);
    checkOrigins(app, {
      // Ollama's Host check, as Ollama applies it on a loopback bind: no DNS-rebinding page gets in.
      hostCheck: isLoopbackHost(this.options.host) && this.options.token === undefined,
      cors: new CorsPolicy(this.options.origins),
    });
    refuseWhileClosing(app, context.closing);
    if (context.auth !== undefined) app.addHook('onRequest', exceptUiFiles(context.auth.hook));
    installJsonParser(app, this.options.bodyLimit);
    installErrorHandlers(app, this.options.bodyLimit);
    app.register(healthRoutes, { context });
    app.register(metricsRoutes, { context });
    app.register(turnRoutes, { context });
    app.register(memoryRoutes, { context });
    app.register(ollamaProxyPlugin, { proxy: this.proxy });
    app.register(uiRoutes);
  }
}

/** A server, not listening yet (add routes to `server.app`, then `listen()`). */
export function createServer(options: ServerOptions = {}): LunarServer {
  return new LunarServer(options);
}

/** A server, listening. */
export async function startServer(options: ServerOptions = {}): Promise<LunarServer> {
  const server = createServer(options);
  try {
    await server.listen();
  } catch (error) {
    await server.close({ graceMs: 0 });
    throw error;
  }
  return server;
}
