import { Redis, type RedisOptions } from 'ioredis';
import { LLMCacheRedisError } from './errors.js';
import type { Logger } from './logger.js';
import { type RedisState, StateBoard, type StateListener, type WhenReadyOptions } from './state-board.js';

/** Longest pause between reconnection attempts, in ms. */
const MAX_RECONNECT_DELAY_MS = 1000;
/** How often a connected but slow Redis is probed with PING while marked down, in ms. */
const PROBE_INTERVAL_MS = 500;

/**
 * The ioredis options of every client this package creates: fail fast instead of queueing
 * (`enableOfflineQueue: false`, `maxRetriesPerRequest: 0`), reconnect for ever with a delay that
 * grows to 1 s, connect within 2 s. So a dead Redis costs nothing and a returning one is used
 * again. Use them for a client you share between stores and relays:
 * `new Redis(url, redisClientOptions())`.
 */
export function redisClientOptions(): RedisOptions {
  return {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
    autoResubscribe: false,
    retryStrategy: (times: number) => Math.min(times * 100, MAX_RECONNECT_DELAY_MS),
  };
}

export interface RedisLinkOptions {
  redis: Redis | string;
  commandTimeoutMs: number;
  logger: Logger | undefined;
  /** Names the component in log lines, e.g. `RedisCacheStore(lunar:llm:)`. */
  label: string;
  onError: ((error: LLMCacheRedisError) => void) | undefined;
}

/**
 * One command connection and its health. Every command is sent only while the state is `ready`,
 * and gets `commandTimeoutMs`; a timeout or a connection error turns the state `down` (logged
 * once), the client's next `ready` event or a successful probe turns it back (logged once).
 */
export class RedisLink {
  readonly client: Redis;
  readonly owned: boolean;
  readonly commandTimeoutMs: number;
  readonly #board: StateBoard;
  readonly #errorHandler: ((error: LLMCacheRedisError) => void) | undefined;
  #probe: NodeJS.Timeout | undefined;
  #closed = false;
  /** Commands that failed or timed out, and values that were not entries. */
  errors = 0;

  constructor(options: RedisLinkOptions) {
    this.owned = typeof options.redis === 'string';
    this.client =
      typeof options.redis === 'string' ? new Redis(options.redis, redisClientOptions()) : options.redis;
    this.commandTimeoutMs = options.commandTimeoutMs;
    this.#board = new StateBoard(options.logger, options.label);
    this.#errorHandler = options.onError;
    this.client.on('ready', this.#onReady);
    this.client.on('close', this.#onClose);
    this.client.on('error', this.#onError);
    if (this.client.status === 'ready') this.#board.set('ready', '');
  }

  get state(): RedisState {
    return this.#board.state;
  }

  /** True when a command may be sent now. */
  get usable(): boolean {
    return this.#board.state === 'ready' && !this.#closed && this.client.status === 'ready';
  }

  onStateChange(listener: StateListener): () => void {
    return this.#board.onChange(listener);
  }

  /**
   * Sends one command (or pipeline, or script) with the timeout. Rejects with an
   * {@link LLMCacheRedisError}: `UNAVAILABLE` without sending when down, `TIMEOUT`, or
   * `COMMAND_FAILED` when Redis answered with an error (which does not change the state).
   */
  async run<T>(name: string, send: (client: Redis) => Promise<T>): Promise<T> {
    if (!this.usable) {
      throw new LLMCacheRedisError('LLM_CACHE_REDIS_UNAVAILABLE', `${name}: Redis is unavailable`);
    }
    try {
      return await this.#race(name, send);
    } catch (error) {
      throw this.fail(error);
    }
  }

  /**
   * Classifies a failed command, counts and reports it; a timeout or a connection error (not an
   * error reply from Redis) marks Redis down.
   */
  fail(error: unknown): LLMCacheRedisError {
    let failure: LLMCacheRedisError;
    if (error instanceof LLMCacheRedisError) {
      failure = error;
      if (error.code !== 'LLM_CACHE_REDIS_COMMAND_FAILED') this.#markDown(error.message);
    } else if (isReplyError(error)) {
      failure = new LLMCacheRedisError(
        'LLM_CACHE_REDIS_COMMAND_FAILED',
        `Redis answered: ${messageOf(error)}`,
        {
          cause: error,
        },
      );
    } else {
      this.#markDown(messageOf(error));
      failure = new LLMCacheRedisError('LLM_CACHE_REDIS_UNAVAILABLE', `Redis failed: ${messageOf(error)}`, {
        cause: error,
      });
    }
    this.report(failure);
    return failure;
  }

  /** Counts a failure and hands it to `onError`; a throwing handler is ignored. */
  report(error: LLMCacheRedisError): void {
    this.errors++;
    try {
      this.#errorHandler?.(error);
    } catch {
      // A failing error handler must not fail the cache call that reported to it.
    }
  }

  /** Resolves true once the state is `ready`, false after `timeoutMs` (or when closed). */
  whenReady(options?: WhenReadyOptions): Promise<boolean> {
    return this.#board.whenReady(options);
  }

  /** Stops probing, detaches from the client, and disconnects it when this link created it. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopProbe();
    this.#board.close();
    this.client.off('ready', this.#onReady);
    this.client.off('close', this.#onClose);
    this.client.off('error', this.#onError);
    if (this.owned) await quit(this.client, this.commandTimeoutMs);
  }

  /** The command against the timeout; a late failure of the command is swallowed. */
  async #race<T>(name: string, send: (client: Redis) => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const sent = send(this.client);
    sent.catch(() => {});
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        reject(
          new LLMCacheRedisError(
            'LLM_CACHE_REDIS_TIMEOUT',
            `${name}: no answer from Redis within ${this.commandTimeoutMs} ms`,
          ),
        );
      }, this.commandTimeoutMs);
    });
    try {
      return await Promise.race([sent, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  readonly #onReady = (): void => {
    this.#setState('ready', '');
  };

  readonly #onClose = (): void => {
    this.#markDown('connection closed');
  };

  readonly #onError = (error: unknown): void => {
    // Connection errors repeat on every reconnection attempt; only a state change is logged.
    this.#markDown(messageOf(error));
  };

  #markDown(reason: string): void {
    if (this.#closed) return;
    this.#setState('down', reason);
    if (this.client.status === 'ready') this.#startProbe();
  }

  #setState(next: RedisState, reason: string): void {
    if (this.#closed) return;
    if (next === 'ready') this.#stopProbe();
    this.#board.set(next, reason);
  }

  /** A slow Redis stays connected: probe it with PING until it answers in time again. */
  #startProbe(): void {
    if (this.#probe !== undefined) return;
    this.#probe = setInterval(() => {
      if (this.client.status !== 'ready') return; // the next 'ready' event brings the state back
      this.#race('PING', (client) => client.ping()).then(
        () => this.#setState('ready', ''),
        () => {},
      );
    }, PROBE_INTERVAL_MS);
    this.#probe.unref();
  }

  #stopProbe(): void {
    clearInterval(this.#probe);
    this.#probe = undefined;
  }
}

/** Closes a client politely (QUIT), or at once when Redis does not answer in time. */
export async function quit(client: Redis, timeoutMs: number): Promise<void> {
  if (client.status === 'end') return;
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  await Promise.race([client.quit().catch(() => {}), late]);
  clearTimeout(timer);
  client.disconnect();
}

function isReplyError(error: unknown): boolean {
  return error instanceof Error && error.name === 'ReplyError';
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
