import { DEFAULT_MAX_LINE_BYTES } from './ndjson-decoder.js';
import { DEFAULT_OLLAMA_HOST, parseOllamaHost } from './ollama-host.js';

/** Lunar's deadlines for a call, in ms; 0 turns one off. Unset ones keep the client's (or the defaults). */
export interface Timeouts {
  /**
   * From the call until Ollama starts answering: its response headers (for a chat or generate
   * stream, its first chunk, which Ollama sends with the headers). Covers waiting for a free
   * connection, a model load and the prompt's prefill; for a `stream: false` chat or generate, the
   * whole answer (Ollama sends nothing before it). Default 300000 (5 min).
   */
  headersMs?: number;
  /** Longest silence between two chunks of a body once Ollama has started answering. Default 120000 (2 min). */
  idleMs?: number;
  /** From the call to the end of its body. Default 0 (off): a long answer is not a fault. */
  totalMs?: number;
}

/** Timeouts with every deadline set; 0 is off. */
export type ResolvedTimeouts = Required<Timeouts>;

/** Defaults: see the README ("Deadlines") for why these values. */
export const DEFAULT_TIMEOUTS: Readonly<ResolvedTimeouts> = Object.freeze({
  headersMs: 300_000,
  idleMs: 120_000,
  totalMs: 0,
});
/** Connections per host by default. */
export const DEFAULT_CONNECTIONS = 64;

/** Retries of failures before any byte of a response arrived (refused, reset before headers). */
export interface RetryOptions {
  /** Retries after the first attempt. Default 2. */
  retries?: number;
  /** Backoff before the first retry; it doubles each time, with jitter. Default 100. */
  minDelayMs?: number;
  /** Longest backoff. Default 2000. */
  maxDelayMs?: number;
}

export interface OllamaClientOptions {
  /** Ollama's base URL, read as Ollama reads `OLLAMA_HOST`. Default: `OLLAMA_HOST`, else `http://127.0.0.1:11434`. */
  host?: string;
  /** Several Ollama servers, balanced by undici's BalancedPool; one refusing connections is skipped. */
  hosts?: string[];
  /**
   * Connections per host: how many calls are at Ollama at once; more wait in the client for a free
   * one (within `timeouts.headersMs`). Default 64.
   */
  connections?: number;
  /** How long an idle connection is kept for the next call, in ms. Default 60000. */
  keepAliveTimeout?: number;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** Deadlines for every call. Default `{ headersMs: 300000, idleMs: 120000, totalMs: 0 }`. */
  timeouts?: Timeouts;
  retry?: RetryOptions;
  /** Longest NDJSON line accepted in a stream, in bytes. Default 16 MiB. */
  maxLineBytes?: number;
  /**
   * Largest non-streamed response body accepted, in bytes, and the most a stream gathers for
   * `final()` (text counted by string length); past it `final()` rejects, iteration goes on. Default 256 MiB.
   */
  maxBodyBytes?: number;
}

/** Options of one call. */
export interface RequestOptions {
  signal?: AbortSignal;
  /** Deadlines for this call, each one replacing the client's. */
  timeouts?: Timeouts;
  /** Headers for this call, on top of the client's. */
  headers?: Record<string, string>;
}

export interface ResolvedOptions {
  hosts: string[];
  connections: number;
  keepAliveTimeout: number;
  headers: Record<string, string>;
  timeouts: ResolvedTimeouts;
  retries: number;
  minDelayMs: number;
  maxDelayMs: number;
  maxLineBytes: number;
  maxBodyBytes: number;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) {
    return String(value);
  }
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

function checkSignal(signal: unknown): asserts signal is AbortSignal | undefined {
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError(`Expected \`signal\` to be an AbortSignal, got ${String(signal)}`);
  }
}

/** `value`, a positive integer, or `fallback` when it is undefined; a TypeError naming `name` otherwise. */
export function positiveInteger(name: string, value: unknown, fallback: number): number {
  return integer(name, value, fallback, 1);
}

/** `value`, an integer ≥ 0, or `fallback` when it is undefined; a TypeError naming `name` otherwise. */
export function nonNegativeInteger(name: string, value: unknown, fallback: number): number {
  return integer(name, value, fallback, 0);
}

function integer(name: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    const kind = min === 0 ? 'a non-negative integer' : 'a positive integer';
    throw new TypeError(`Expected \`${name}\` to be ${kind}, got ${describe(value)}`);
  }
  return value;
}

function plainObject(name: string, value: unknown): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`Expected \`${name}\` to be an object, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

/** RFC 9110 token characters: what an HTTP header name may hold. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** What undici accepts in a header value: no line break, no other control character. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** Headers as an object of strings, each a valid HTTP header; a TypeError naming the bad one. */
export function resolveHeaders(name: string, value: unknown): Record<string, string> {
  const headers = plainObject(name, value) ?? {};
  for (const [key, header] of Object.entries(headers)) {
    if (typeof header !== 'string') {
      throw new TypeError(`Expected \`${name}.${key}\` to be a string, got ${describe(header)}`);
    }
    if (!HEADER_NAME.test(key)) {
      throw new TypeError(
        `Expected the names in \`${name}\` to be HTTP header names, got ${JSON.stringify(key)}`,
      );
    }
    if (!HEADER_VALUE.test(header)) {
      throw new TypeError(
        `Expected \`${name}.${key}\` to be an HTTP header value (no line break or control character), got ${describe(header)}`,
      );
    }
  }
  return headers as Record<string, string>;
}

const TIMEOUT_OPTIONS = new Set(['headersMs', 'idleMs', 'totalMs']);
/** Options that were renamed: a caller passing the old name is told the new one. */
const RENAMED_OPTIONS: Record<string, string> = { firstTokenMs: 'headersMs' };

/** `value` (a Timeouts object) over `base`, each deadline an integer ≥ 0 (0: off). */
export function resolveTimeouts(
  name: string,
  value: unknown,
  base: ResolvedTimeouts = DEFAULT_TIMEOUTS,
): ResolvedTimeouts {
  const timeouts = plainObject(name, value);
  if (!timeouts) return base;
  rejectUnknown(`${name}.`, timeouts, TIMEOUT_OPTIONS);
  return {
    headersMs: integer(`${name}.headersMs`, timeouts.headersMs, base.headersMs, 0),
    idleMs: integer(`${name}.idleMs`, timeouts.idleMs, base.idleMs, 0),
    totalMs: integer(`${name}.totalMs`, timeouts.totalMs, base.totalMs, 0),
  };
}

function resolveHosts(options: OllamaClientOptions): string[] {
  if (options.host !== undefined && options.hosts !== undefined) {
    throw new TypeError('Pass either `host` or `hosts`, not both');
  }
  if (options.hosts !== undefined) {
    if (!Array.isArray(options.hosts) || options.hosts.length === 0) {
      throw new TypeError(
        `Expected \`hosts\` to be a non-empty array of strings, got ${describe(options.hosts)}`,
      );
    }
    const hosts = options.hosts.map((host, index) => {
      if (typeof host !== 'string') {
        throw new TypeError(`Expected \`hosts[${index}]\` to be a string, got ${describe(host)}`);
      }
      return parseOllamaHost(host, `hosts[${index}]`);
    });
    const origins = hosts.map((host) => new URL(host).origin);
    const duplicate = origins.find((origin, index) => origins.indexOf(origin) !== index);
    if (duplicate) throw new TypeError(`Expected \`hosts\` to name distinct servers, got ${duplicate} twice`);
    return hosts;
  }
  if (options.host !== undefined) {
    if (typeof options.host !== 'string') {
      throw new TypeError(`Expected \`host\` to be a string, got ${describe(options.host)}`);
    }
    return [parseOllamaHost(options.host, 'host')];
  }
  const fromEnvironment = process.env.OLLAMA_HOST;
  return [fromEnvironment ? parseOllamaHost(fromEnvironment) : DEFAULT_OLLAMA_HOST];
}

const KNOWN_OPTIONS = new Set([
  'host',
  'hosts',
  'connections',
  'keepAliveTimeout',
  'headers',
  'timeouts',
  'retry',
  'maxLineBytes',
  'maxBodyBytes',
]);
const KNOWN_RETRY_OPTIONS = new Set(['retries', 'minDelayMs', 'maxDelayMs']);

/** A TypeError for the first key of `value` not in `known`, named with its path (`prefix` + key). */
export function rejectUnknown(prefix: string, value: object, known: ReadonlySet<string>): void {
  for (const key of Object.keys(value)) {
    if (known.has(key)) continue;
    const renamed = RENAMED_OPTIONS[key];
    const hint =
      renamed !== undefined && known.has(renamed)
        ? `it is now \`${prefix}${renamed}\``
        : `known: ${[...known].join(', ')}`;
    throw new TypeError(`Unknown option \`${prefix}${key}\`; ${hint}`);
  }
}

/** The options every call takes; some methods take a few more (`maxBodyBytes`, `keepAlive`). */
export const CALL_OPTIONS: ReadonlySet<string> = new Set(['signal', 'timeouts', 'headers']);

/** Check an options object (`what`, for the message): an object, no unknown key, a real AbortSignal if any. */
export function checkOptions(
  options: unknown,
  known: ReadonlySet<string> = CALL_OPTIONS,
  what = 'call options',
): asserts options is { signal?: AbortSignal } {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`Expected the ${what} to be an object, got ${describe(options)}`);
  }
  rejectUnknown('', options, known);
  checkSignal((options as { signal?: unknown }).signal);
}

/** Check every option, naming the bad one, and fill in the defaults. */
export function resolveOptions(options: OllamaClientOptions = {}): ResolvedOptions {
  plainObject('options', options);
  rejectUnknown('', options, KNOWN_OPTIONS);
  const retry = plainObject('retry', options.retry) ?? {};
  rejectUnknown('retry.', retry, KNOWN_RETRY_OPTIONS);
  const minDelayMs = integer('retry.minDelayMs', retry.minDelayMs, 100, 0);
  const maxDelayMs = integer('retry.maxDelayMs', retry.maxDelayMs, Math.max(2000, minDelayMs), 0);
  if (maxDelayMs < minDelayMs) {
    throw new TypeError(
      `Expected \`retry.maxDelayMs\` (${maxDelayMs}) to be at least \`retry.minDelayMs\` (${minDelayMs})`,
    );
  }
  return {
    hosts: resolveHosts(options),
    connections: integer('connections', options.connections, DEFAULT_CONNECTIONS, 1),
    keepAliveTimeout: integer('keepAliveTimeout', options.keepAliveTimeout, 60_000, 1),
    headers: resolveHeaders('headers', options.headers),
    timeouts: resolveTimeouts('timeouts', options.timeouts),
    retries: integer('retry.retries', retry.retries, 2, 0),
    minDelayMs,
    maxDelayMs,
    maxLineBytes: integer('maxLineBytes', options.maxLineBytes, DEFAULT_MAX_LINE_BYTES, 1),
    maxBodyBytes: integer('maxBodyBytes', options.maxBodyBytes, 256 * 1024 * 1024, 1),
  };
}
