import { DEFAULT_MAX_LINE_BYTES } from './ndjson-decoder.js';
import { DEFAULT_OLLAMA_HOST, parseOllamaHost } from './ollama-host.js';

/** Lunar's own deadlines, in ms; each is off when absent. */
export interface Timeouts {
  /** Streamed calls: from sending the request to the first chunk (covers model load and prefill). */
  firstTokenMs?: number;
  /** Streamed calls: longest silence between two chunks once the first has arrived. */
  idleMs?: number;
  /** Any call: from sending the request to its end. */
  totalMs?: number;
}

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
  /** Connections per host. Default 16. */
  connections?: number;
  /** How long an idle connection is kept for the next call, in ms. Default 60000. */
  keepAliveTimeout?: number;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** Default deadlines for every call. Default: none. */
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
  timeouts: Timeouts;
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

export function checkSignal(signal: unknown): asserts signal is AbortSignal | undefined {
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError(`Expected \`signal\` to be an AbortSignal, got ${String(signal)}`);
  }
}

/** `value`, a positive integer, or `fallback` when it is undefined; a TypeError naming `name` otherwise. */
export function positiveInteger(name: string, value: unknown, fallback: number): number {
  return integer(name, value, fallback, 1);
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

export function resolveHeaders(name: string, value: unknown): Record<string, string> {
  const headers = plainObject(name, value) ?? {};
  for (const [key, header] of Object.entries(headers)) {
    if (typeof header !== 'string') {
      throw new TypeError(`Expected \`${name}.${key}\` to be a string, got ${describe(header)}`);
    }
  }
  return headers as Record<string, string>;
}

export function resolveTimeouts(name: string, value: unknown, base: Timeouts = {}): Timeouts {
  const timeouts = plainObject(name, value);
  if (!timeouts) return base;
  const result: Timeouts = { ...base };
  for (const key of ['firstTokenMs', 'idleMs', 'totalMs'] as const) {
    if (timeouts[key] !== undefined) result[key] = integer(`${name}.${key}`, timeouts[key], 0, 1);
  }
  return result;
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

function rejectUnknown(name: string, value: object, known: Set<string>): void {
  for (const key of Object.keys(value)) {
    if (!known.has(key)) {
      throw new TypeError(`Unknown option \`${name}${key}\`; known: ${[...known].join(', ')}`);
    }
  }
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
    connections: integer('connections', options.connections, 16, 1),
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
