import type { LLMCache, LLMCacheStatus } from '@lunar/llm-cache';
import { OllamaClient, parseOllamaHost } from '@lunar/ollama-stream';

/** The kind of call a cached route makes: chat, generate or embed (and Ollama's legacy embeddings). */
export type ProxyOperation = 'chat' | 'generate' | 'embed' | 'embeddings';

/** One answered call through the cache, as an observer hears of it. */
export interface ProxyCallRecord {
  /** The route: method and path, e.g. `POST /api/chat`. */
  route: string;
  /** The path alone, e.g. `/api/chat`. */
  path: string;
  operation: ProxyOperation;
  /** `ollama` for the native `/api/*` routes, `openai` for the OpenAI-compatible `/v1/*` ones. */
  api: 'ollama' | 'openai';
  cache: LLMCacheStatus;
  /** From the request's arrival to this moment, in seconds. */
  seconds: number;
}

/** Hears about calls, for metrics. Every method is optional and must not throw. */
export interface ProxyObserver {
  /** The first byte of a cached route's answer is going out. */
  firstChunk?(record: ProxyCallRecord): void;
  /** A cached route's answer ended whole. */
  done?(record: ProxyCallRecord): void;
  /** A call was refused with 503 because `maxInFlight` calls were running. */
  busy?(route: { route: string; path: string }): void;
}

/** Where failures are logged: any pino-style logger (fastify's `app.log` fits). */
export interface ProxyLogger {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface OllamaProxyOptions {
  /** The Ollama client calls go through (its hosts, pool, retries, deadlines). Default: one made on `hosts`. */
  client?: OllamaClient;
  /** Hosts of the client the proxy makes (closed by `close()`); several are balanced. Default: `OLLAMA_HOST`, else `http://127.0.0.1:11434`. */
  hosts?: string[];
  /** The LLM cache answers go through. Default: a new in-memory `LLMCache`. */
  llmCache?: LLMCache;
  /** Calls held at once (LLM calls, relays other than GET/HEAD/OPTIONS and `/api/show`); past it 503 as a busy Ollama. Default 256. */
  maxInFlight?: number;
  /** Largest request body read whole, parsed and keyed for the cache, in bytes. Default 8 MiB. */
  maxParsedBytes?: number;
  /** Answer CORS like Ollama (preflights, `Access-Control-Allow-Origin`, 403 for other origins). Default true. */
  cors?: boolean;
  /** Browser origins allowed on top of Ollama's defaults, as `OLLAMA_ORIGINS` lists them (`*` allows every origin). Default none. */
  origins?: string[];
  /** Refuse (403) a `Host` header Ollama refuses on a loopback bind: for a proxy on loopback without a token. Default false. */
  hostCheck?: boolean;
  /** Hears about calls, for metrics. Default none. */
  observer?: ProxyObserver;
  /** Where failures are logged. Default none. */
  logger?: ProxyLogger;
}

export interface ResolvedProxyOptions {
  client: OllamaClient;
  /** True when the proxy made the client (and closes it). */
  ownsClient: boolean;
  llmCache: LLMCache | undefined;
  maxInFlight: number;
  maxParsedBytes: number;
  cors: boolean;
  origins: string[];
  hostCheck: boolean;
  observer: ProxyObserver;
  logger: ProxyLogger | undefined;
}

export const DEFAULT_MAX_IN_FLIGHT = 256;
export const DEFAULT_MAX_PARSED_BYTES = 8 * 1024 * 1024;

const KNOWN = new Set([
  'client',
  'hosts',
  'llmCache',
  'maxInFlight',
  'maxParsedBytes',
  'cors',
  'origins',
  'hostCheck',
  'observer',
  'logger',
]);

export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) {
    return String(value);
  }
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
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

function flag(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean')
    throw new TypeError(`Expected \`${name}\` to be a boolean, got ${describe(value)}`);
  return value;
}

/**
 * Browser origins as `OLLAMA_ORIGINS` takes them (quotes and spaces trimmed): each with its scheme
 * (`https://app.example`, `chrome-extension://*`) or `*`, at most one `*` each. A TypeError names a
 * bad one. For a server that applies `CorsPolicy` to routes of its own.
 */
export function parseOrigins(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value))
    throw new TypeError(`Expected \`origins\` to be an array of origins, got ${describe(value)}`);
  return value.map((entry, index) => {
    const origin = typeof entry === 'string' ? entry.trim().replace(/^["']+|["']+$/g, '') : entry;
    if (typeof origin !== 'string' || origin === '' || (!origin.includes('://') && !origin.includes('*'))) {
      throw new TypeError(
        `Expected \`origins[${index}]\` to be an origin with its scheme (https://app.example, chrome-extension://*) or *, got ${describe(entry)}`,
      );
    }
    if ((origin.match(/\*/g) ?? []).length > 1) {
      throw new TypeError(`Expected \`origins[${index}]\` to hold at most one *, got ${describe(entry)}`);
    }
    return origin;
  });
}

function resolveHosts(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0) {
    throw new TypeError(`Expected \`hosts\` to be a non-empty array of URLs, got ${describe(value)}`);
  }
  return value.map((entry, index) => {
    if (typeof entry !== 'string' || entry.trim() === '') {
      throw new TypeError(`Expected \`hosts[${index}]\` to be a URL, got ${describe(entry)}`);
    }
    return parseOllamaHost(entry, `hosts[${index}]`);
  });
}

function resolveObserver(value: unknown): ProxyObserver {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null) {
    throw new TypeError(`Expected \`observer\` to be an object of callbacks, got ${describe(value)}`);
  }
  for (const name of ['firstChunk', 'done', 'busy'] as const) {
    const callback = (value as Record<string, unknown>)[name];
    if (callback !== undefined && typeof callback !== 'function') {
      throw new TypeError(`Expected \`observer.${name}\` to be a function, got ${describe(callback)}`);
    }
  }
  return value as ProxyObserver;
}

function resolveLogger(value: unknown): ProxyLogger | undefined {
  if (value === undefined) return undefined;
  const candidate = value as Partial<Record<'warn' | 'error', unknown>> | null;
  if (typeof candidate?.warn !== 'function' || typeof candidate.error !== 'function') {
    throw new TypeError(`Expected \`logger\` to be a logger with warn() and error(), got ${describe(value)}`);
  }
  return value as ProxyLogger;
}

/** Checks every option, naming a bad one and its value in a TypeError. */
export function resolveProxyOptions(options: OllamaProxyOptions): ResolvedProxyOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`Expected options to be an object, got ${describe(options)}`);
  }
  for (const name of Object.keys(options)) {
    if (!KNOWN.has(name)) throw new TypeError(`Unknown option \`${name}\``);
  }
  if (options.client !== undefined && !(options.client instanceof OllamaClient)) {
    throw new TypeError('Expected `client` to be an OllamaClient from @lunar/ollama-stream');
  }
  if (options.client !== undefined && options.hosts !== undefined) {
    throw new TypeError('Pass either `client` or `hosts`, not both');
  }
  const { llmCache } = options;
  if (llmCache !== undefined && typeof (llmCache as Partial<LLMCache>)?.stream !== 'function') {
    throw new TypeError('Expected `llmCache` to be an LLMCache from @lunar/llm-cache');
  }
  const hosts = resolveHosts(options.hosts);
  const resolved = {
    maxInFlight: integer('maxInFlight', options.maxInFlight, DEFAULT_MAX_IN_FLIGHT, 1, 1_000_000),
    maxParsedBytes: integer(
      'maxParsedBytes',
      options.maxParsedBytes,
      DEFAULT_MAX_PARSED_BYTES,
      1,
      2 ** 31 - 1,
    ),
    cors: flag('cors', options.cors, true),
    origins: parseOrigins(options.origins),
    hostCheck: flag('hostCheck', options.hostCheck, false),
    observer: resolveObserver(options.observer),
    logger: resolveLogger(options.logger),
    llmCache,
  };
  // The client is made last, once every other option is known to be good: nothing to close on a TypeError.
  const ownsClient = options.client === undefined;
  const client = options.client ?? new OllamaClient(hosts === undefined ? {} : { hosts });
  return { ...resolved, client, ownsClient };
}
