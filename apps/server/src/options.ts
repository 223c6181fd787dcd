import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { DEFAULT_EMBED_MODEL, DEFAULT_MODEL } from '@lunar/agent';
import type { CacheStore, LLMCache } from '@lunar/llm-cache';
import { isPostgresLocation } from '@lunar/memory';
import { DEFAULT_MAX_PARSED_BYTES, parseOrigins } from '@lunar/ollama-proxy';
import {
  DEFAULT_CONNECTIONS,
  DEFAULT_OLLAMA_HOST,
  DEFAULT_TIMEOUTS,
  type ModelOptions,
  OllamaClient,
  parseOllamaHost,
  type Timeouts,
} from '@lunar/ollama-stream';
import type { FastifyBaseLogger, FastifyLoggerOptions } from 'fastify';

export interface ServerOptions {
  /** Ollama base URLs; several are balanced. Default: `OLLAMA_HOST`, else http://127.0.0.1:11434. */
  ollamaHosts?: string[];
  /** A ready Ollama client instead of `ollamaHosts` (left open by `close()`). */
  client?: OllamaClient;
  /**
   * Connections to each Ollama host: calls at Ollama at once; more wait in the server for a free one
   * (within `timeouts.headersMs`). Default 64 (`DEFAULT_CONNECTIONS` of @lunar/ollama-stream).
   */
  connections?: number;
  /**
   * Deadlines of every call to Ollama, in ms (0 turns one off): `headersMs` until it starts
   * answering, `idleMs` between two chunks, `totalMs` for the whole answer. Default
   * `{ headersMs: 300000, idleMs: 120000, totalMs: 0 }` (`DEFAULT_TIMEOUTS` of @lunar/ollama-stream).
   */
  timeouts?: Timeouts;
  /** The agent's default model. Default `llama3.2:3b` (`DEFAULT_MODEL` of @lunar/agent). */
  model?: string;
  /** Models a turn may pick with `model` in its body (one agent each). Default: `[model]`; at most 16. */
  models?: string[];
  /** Ollama embedding model of the memory store. Default `nomic-embed-text`. */
  embedModel?: string;
  /**
   * Where the memories live: a SQLite file (one server, or several on one machine), `':memory:'`
   * (forgotten at exit), or PostgreSQL shared by several servers: a `postgres://` URL, or
   * `'postgres'` alone for the `PG*` environment variables. Default `':memory:'`.
   */
  memory?: string;
  /** PostgreSQL: `'pgvector'` (default; the extension must be installed) or `'exact'` (small stores). */
  memoryVectorSearch?: 'pgvector' | 'exact';
  /** SQLite: worker threads that run memory searches off the event loop (0 to 16). Default 1. */
  memoryThreads?: number;
  /** With `redis`: how long a conversation session is kept after its last turn, in ms. Default a day. */
  sessionTtlMs?: number;
  /**
   * The one memory scope of every turn: searched for the prompt, written and read by the
   * `remember` and `recall` tools. Shared by every client of this server. Default `'default'`.
   */
  memoryScope?: string;
  /** Ollama options of every agent call. Default `{ temperature: 0 }` (which lets the LLM cache work). */
  modelOptions?: ModelOptions;
  /** The agent's system prompt. Default: the agent's. */
  system?: string;
  /** LLM cache shared by the proxy and the agents. Default: a new in-memory one. */
  llmCache?: LLMCache;
  /** Store for a new LLM cache (e.g. a shared one), when no `llmCache` is given. */
  cacheStore?: CacheStore;
  /**
   * Redis shared by several replicas (`redis://` or `rediss://` URL): the LLM cache's store (a local
   * tier in front) and the memory-search cache's invalidations. Default: none (all in memory).
   */
  redis?: string;
  /** This replica's name in logs, `/healthz` and Redis messages. Default: `<hostname>-<pid>-<random>`. */
  replicaId?: string;
  /** Bearer token every route requires but `/healthz` and the chat page's files. Default: none (then loopback only). */
  token?: string;
  /** Address to listen on. Default `127.0.0.1`. */
  host?: string;
  /** Port to listen on; 0 picks a free one. Default 8080. */
  port?: number;
  /** Largest request body of the server's own routes in bytes (413 past it). Default 1 MiB. */
  bodyLimit?: number;
  /**
   * How long a client has to send a whole request, headers and body, in ms; past it 408 and the
   * connection is closed (a half-sent body holds nothing for long). Default 300,000 (Node's).
   */
  requestTimeoutMs?: number;
  /**
   * The proxy's parse limit: a larger body on a cached route is relayed to the host as it streams
   * in, uncached. Default 8 MiB (`@lunar/ollama-proxy`'s default).
   */
  maxParsedBytes?: number;
  /**
   * Browser origins allowed on every route on top of Ollama's defaults (localhost pages, app
   * schemes), as `OLLAMA_ORIGINS` lists them; `*` allows every origin. Default none.
   */
  origins?: string[];
  /** Turns streaming at once; past it a turn gets 503. Default 256. */
  maxTurns?: number;
  /**
   * Proxied Ollama calls at once (chat, generate, embeddings, relayed bodies); past it 503 with a
   * busy Ollama's answer. Default 256.
   */
  maxProxied?: number;
  /** How long `close()` lets requests in flight finish before aborting them, in ms. Default 10,000. */
  graceMs?: number;
  /** Ask Ollama to load the default model when listening. Default false. */
  warmup?: boolean;
  /** `false` (default), `true`, pino options, or a pino-compatible logger. */
  logger?: boolean | FastifyLoggerOptions | FastifyBaseLogger;
}

export interface ResolvedServerOptions {
  ollamaHosts: string[];
  client: OllamaClient | undefined;
  connections: number;
  timeouts: Required<Timeouts>;
  model: string;
  models: string[];
  embedModel: string;
  memory: string;
  memoryVectorSearch: 'pgvector' | 'exact' | undefined;
  memoryThreads: number;
  sessionTtlMs: number;
  memoryScope: string;
  modelOptions: ModelOptions;
  system: string | undefined;
  llmCache: LLMCache | undefined;
  cacheStore: CacheStore | undefined;
  redis: string | undefined;
  replicaId: string;
  token: string | undefined;
  host: string;
  port: number;
  bodyLimit: number;
  requestTimeoutMs: number;
  maxParsedBytes: number;
  origins: string[];
  maxTurns: number;
  maxProxied: number;
  graceMs: number;
  warmup: boolean;
  logger: boolean | FastifyLoggerOptions | FastifyBaseLogger;
}

export const DEFAULT_PORT = 8080;
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
/** Node's own default for `requestTimeout`. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 300_000;
export const MAX_MODELS = 16;
/** Shortest accepted token: long enough that guessing it is hopeless. */
export const MIN_TOKEN_LENGTH = 16;

const KNOWN = new Set<string>([
  'ollamaHosts',
  'client',
  'connections',
  'timeouts',
  'model',
  'models',
  'embedModel',
  'memory',
  'memoryVectorSearch',
  'memoryThreads',
  'sessionTtlMs',
  'memoryScope',
  'modelOptions',
  'system',
  'llmCache',
  'cacheStore',
  'redis',
  'replicaId',
  'token',
  'host',
  'port',
  'bodyLimit',
  'requestTimeoutMs',
  'maxParsedBytes',
  'origins',
  'maxTurns',
  'maxProxied',
  'graceMs',
  'warmup',
  'logger',
]);

export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) {
    return String(value);
  }
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

function text(name: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TypeError(`Expected \`${name}\` to be a non-empty string, got ${describe(value)}`);
  }
  return value;
}

/** Longest scope name, as `/v1/memories` accepts it. */
export const MAX_SCOPE_LENGTH = 128;

function resolveMemoryScope(value: unknown): string {
  if (value === undefined) return 'default';
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_SCOPE_LENGTH) {
    throw new TypeError(
      `Expected \`memoryScope\` to be a string of 1 to ${MAX_SCOPE_LENGTH} characters, got ${describe(value)}`,
    );
  }
  return value;
}

function integer(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new TypeError(
      `Expected \`${name}\` to be an integer from ${min} to ${max}, got ${describe(value)}`,
    );
  }
  return value;
}

function resolveOllamaHosts(value: unknown): string[] {
  if (value === undefined) return [parseOllamaHost(process.env.OLLAMA_HOST ?? DEFAULT_OLLAMA_HOST)];
  if (!Array.isArray(value) || value.length === 0) {
    throw new TypeError(`Expected \`ollamaHosts\` to be a non-empty array of URLs, got ${describe(value)}`);
  }
  return value.map((entry, index) => {
    if (typeof entry !== 'string' || entry.trim() === '') {
      throw new TypeError(`Expected \`ollamaHosts[${index}]\` to be a URL, got ${describe(entry)}`);
    }
    return parseOllamaHost(entry, `ollamaHosts[${index}]`);
  });
}

const TIMEOUT_NAMES = ['headersMs', 'idleMs', 'totalMs'] as const;
/** Longest deadline a timer can hold (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

function resolveTimeouts(value: unknown): Required<Timeouts> {
  if (value === undefined) return { ...DEFAULT_TIMEOUTS };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`Expected \`timeouts\` to be an object, got ${describe(value)}`);
  }
  for (const name of Object.keys(value)) {
    if (!(TIMEOUT_NAMES as readonly string[]).includes(name)) {
      throw new TypeError(`Unknown option \`timeouts.${name}\`; known: ${TIMEOUT_NAMES.join(', ')}`);
    }
  }
  const given = value as Timeouts;
  const deadline = (name: (typeof TIMEOUT_NAMES)[number]) =>
    integer(`timeouts.${name}`, given[name], DEFAULT_TIMEOUTS[name], 0, MAX_TIMER_MS);
  return { headersMs: deadline('headersMs'), idleMs: deadline('idleMs'), totalMs: deadline('totalMs') };
}

function resolveModels(value: unknown, model: string): string[] {
  if (value === undefined) return [model];
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_MODELS) {
    throw new TypeError(
      `Expected \`models\` to be an array of 1 to ${MAX_MODELS} names, got ${describe(value)}`,
    );
  }
  const models = [...new Set([model, ...value.map((entry, index) => text(`models[${index}]`, entry, ''))])];
  if (models.length > MAX_MODELS) {
    throw new TypeError(
      `Expected \`models\` and \`model\` to name at most ${MAX_MODELS} models, got ${models.length}`,
    );
  }
  return models;
}

function resolveRedis(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'redis:' && url.protocol !== 'rediss:') || url.hostname === '') {
    throw new TypeError(
      `Expected \`redis\` to be a redis:// or rediss:// URL (redis://host:6379), got ${describe(typeof value === 'string' ? value.replace(/\/\/[^@/]*@/, '//***@') : value)}`,
    );
  }
  return value as string;
}

function resolveReplicaId(value: unknown): string {
  if (value === undefined) return `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  if (typeof value !== 'string' || !/^[\w.:-]{1,128}$/.test(value)) {
    throw new TypeError(
      `Expected \`replicaId\` to be 1-128 letters, digits, '.', ':', '_' or '-', got ${describe(value)}`,
    );
  }
  return value;
}

function resolveMemory(options: ServerOptions) {
  const memory = text('memory', options.memory, ':memory:');
  const postgres = isPostgresLocation(memory);
  const vectorSearch = options.memoryVectorSearch;
  if (vectorSearch !== undefined && vectorSearch !== 'pgvector' && vectorSearch !== 'exact') {
    throw new TypeError(
      `Expected \`memoryVectorSearch\` to be 'pgvector' or 'exact', got ${describe(vectorSearch)}`,
    );
  }
  if (vectorSearch !== undefined && !postgres) {
    throw new TypeError('`memoryVectorSearch` is for a PostgreSQL `memory` (postgres://...) only');
  }
  if (options.memoryThreads !== undefined && postgres) {
    throw new TypeError('`memoryThreads` is for a SQLite `memory` only');
  }
  return {
    memory,
    memoryVectorSearch: vectorSearch,
    memoryThreads: integer('memoryThreads', options.memoryThreads, 1, 0, memory === ':memory:' ? 1 : 16),
    sessionTtlMs: integer('sessionTtlMs', options.sessionTtlMs, 86_400_000, 1_000, 2 ** 31 - 1),
  };
}

/** Checks every option, naming a bad one and its value in a TypeError. */
export function resolveServerOptions(options: ServerOptions): ResolvedServerOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`Expected options to be an object, got ${describe(options)}`);
  }
  for (const name of Object.keys(options)) {
    if (!KNOWN.has(name)) throw new TypeError(`Unknown option \`${name}\``);
  }
  if (options.client !== undefined && !(options.client instanceof OllamaClient)) {
    throw new TypeError('Expected `client` to be an OllamaClient from @lunar/ollama-stream');
  }
  if (
    options.client !== undefined &&
    (options.ollamaHosts ?? options.connections ?? options.timeouts) !== undefined
  ) {
    throw new TypeError(
      'Pass either `client`, or `ollamaHosts`, `connections` and `timeouts` for the client the server makes, not both',
    );
  }
  if (options.llmCache !== undefined && options.cacheStore !== undefined) {
    throw new TypeError('Pass either `llmCache` or `cacheStore`, not both');
  }
  if (options.redis !== undefined && (options.llmCache !== undefined || options.cacheStore !== undefined)) {
    throw new TypeError('Pass `redis`, or `llmCache` or `cacheStore`, not both: `redis` makes the LLM cache');
  }
  if (options.llmCache !== undefined && typeof options.llmCache?.stream !== 'function') {
    throw new TypeError('Expected `llmCache` to be an LLMCache from @lunar/llm-cache');
  }
  const model = text('model', options.model, DEFAULT_MODEL);
  const token = options.token === undefined ? undefined : text('token', options.token, '');
  if (token !== undefined && token.length < MIN_TOKEN_LENGTH) {
    throw new TypeError(
      `Expected \`token\` to be at least ${MIN_TOKEN_LENGTH} characters, got ${token.length}`,
    );
  }
  const modelOptions = options.modelOptions ?? { temperature: 0 };
  if (typeof modelOptions !== 'object' || modelOptions === null || Array.isArray(modelOptions)) {
    throw new TypeError(`Expected \`modelOptions\` to be an object, got ${describe(modelOptions)}`);
  }
  const logger = options.logger ?? false;
  if (typeof logger !== 'boolean' && (typeof logger !== 'object' || logger === null)) {
    throw new TypeError(
      `Expected \`logger\` to be a boolean, pino options or a logger, got ${describe(logger)}`,
    );
  }
  if (options.warmup !== undefined && typeof options.warmup !== 'boolean') {
    throw new TypeError(`Expected \`warmup\` to be a boolean, got ${describe(options.warmup)}`);
  }
  return {
    ollamaHosts: options.client === undefined ? resolveOllamaHosts(options.ollamaHosts) : [],
    client: options.client,
    connections: integer('connections', options.connections, DEFAULT_CONNECTIONS, 1, 100_000),
    timeouts: resolveTimeouts(options.timeouts),
    model,
    models: resolveModels(options.models, model),
    embedModel: text('embedModel', options.embedModel, DEFAULT_EMBED_MODEL),
    ...resolveMemory(options),
    memoryScope: resolveMemoryScope(options.memoryScope),
    modelOptions,
    system: options.system === undefined ? undefined : text('system', options.system, ''),
    llmCache: options.llmCache,
    cacheStore: options.cacheStore,
    redis: resolveRedis(options.redis),
    replicaId: resolveReplicaId(options.replicaId),
    token,
    host: text('host', options.host, '127.0.0.1'),
    port: integer('port', options.port, DEFAULT_PORT, 0, 65_535),
    bodyLimit: integer('bodyLimit', options.bodyLimit, DEFAULT_BODY_LIMIT, 1, 2 ** 31 - 1),
    requestTimeoutMs: integer(
      'requestTimeoutMs',
      options.requestTimeoutMs,
      DEFAULT_REQUEST_TIMEOUT_MS,
      1,
      MAX_TIMER_MS,
    ),
    maxParsedBytes: integer(
      'maxParsedBytes',
      options.maxParsedBytes,
      DEFAULT_MAX_PARSED_BYTES,
      1,
      2 ** 31 - 1,
    ),
    origins: parseOrigins(options.origins),
    maxTurns: integer('maxTurns', options.maxTurns, 256, 1, 1_000_000),
    maxProxied: integer('maxProxied', options.maxProxied, 256, 1, 1_000_000),
    graceMs: integer('graceMs', options.graceMs, 10_000, 0, 3_600_000),
    warmup: options.warmup ?? false,
    logger,
  };
}
