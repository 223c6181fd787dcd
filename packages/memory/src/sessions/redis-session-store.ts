import { Redis } from 'ioredis';
import { describeError, MemoryError } from '../errors.js';
import { checkOptionKeys, hasMethod, integerOption, optionError } from '../store-options.js';
import {
  ConversationHistory,
  DEFAULT_MAX_SESSION_BYTES,
  DEFAULT_MAX_TURNS,
  turnBytes,
} from './conversation-history.js';
import type { HistoryMessage, SessionStore } from './session-store.js';

export interface RedisSessionStoreOptions {
  /** `redis://` or `rediss://` URL (the store connects and closes it), or an ioredis client (left open). */
  redis: string | Redis;
  /** Turns kept per session; the oldest go first. Default 20. */
  maxTurns?: number;
  /** Bytes of JSON kept per session; the oldest turns go first. Default 64 KiB. */
  maxBytes?: number;
  /** A session not written for this long is forgotten, in ms. Default 86,400,000 (a day). */
  ttlMs?: number;
  /** Sessions this process also keeps in its own memory, to answer while Redis is away. Default 1,000. */
  localSessions?: number;
  /** Prefix of every key. Default `'lunar:session:'`. */
  keyPrefix?: string;
  /** How long a Redis command may take before the local copy answers instead, in ms. Default 1,000. */
  commandTimeoutMs?: number;
  /** Told when Redis fails (the call is then served locally); once per outage. */
  onError?: (error: MemoryError) => void;
}

const OWNER = 'RedisSessionStore';
const KNOWN = [
  'redis',
  'maxTurns',
  'maxBytes',
  'ttlMs',
  'localSessions',
  'keyPrefix',
  'commandTimeoutMs',
  'onError',
];

/**
 * Appends one turn (ARGV[1], JSON) to a session's list, then trims it: at most ARGV[2] turns, at
 * most ARGV[3] bytes (oldest first; a turn larger than the bound alone is not kept), and sets its
 * time to live (ARGV[4] ms). Atomic, so replicas appending to one session at once keep both turns.
 */
const APPEND_SCRIPT = `
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
local turns = redis.call('LRANGE', KEYS[1], 0, -1)
local total = 0
for index = 1, #turns do total = total + #turns[index] end
local dropped = 0
while total > tonumber(ARGV[3]) and dropped < #turns do
  dropped = dropped + 1
  total = total - #turns[dropped]
end
if dropped == #turns then
  redis.call('DEL', KEYS[1])
else
  if dropped > 0 then redis.call('LTRIM', KEYS[1], dropped, -1) end
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
end
return #turns - dropped
`;

type ScriptedRedis = Redis & {
  appendTurn(key: string, turn: string, maxTurns: number, maxBytes: number, ttlMs: number): Promise<number>;
};

/**
 * Conversation sessions in Redis, shared by every server: each session a list of turns (JSON),
 * bounded in turns and bytes, forgotten after `ttlMs` without a write. A turn is appended
 * atomically. Every turn is also kept in this process's memory (a bounded `ConversationHistory`),
 * which answers while Redis is away: a conversation goes on, with what this server saw of it, and
 * no turn fails because Redis did.
 */
export class RedisSessionStore implements SessionStore {
  readonly maxTurns: number;
  readonly maxBytes: number;
  readonly ttlMs: number;
  readonly keyPrefix: string;
  readonly #redis: ScriptedRedis;
  readonly #owned: boolean;
  readonly #local: ConversationHistory;
  readonly #onError: (error: MemoryError) => void;
  #failing = false;

  constructor(options: RedisSessionStoreOptions) {
    checkOptionKeys(OWNER, options, KNOWN);
    const { redis, keyPrefix = 'lunar:session:', onError = () => {} } = options;
    const isUrl = typeof redis === 'string' && /^rediss?:\/\/./.test(redis);
    if (!isUrl && !hasMethod(redis, 'lrange')) {
      throw optionError(OWNER, 'redis', 'a redis:// URL or an ioredis client', redis);
    }
    if (typeof keyPrefix !== 'string') throw optionError(OWNER, 'keyPrefix', 'a string', keyPrefix);
    if (typeof onError !== 'function') throw optionError(OWNER, 'onError', 'a function', onError);
    const max = 2 ** 31 - 1;
    this.maxTurns = integerOption(OWNER, 'maxTurns', options.maxTurns, {
      min: 1,
      max: 10_000,
      fallback: DEFAULT_MAX_TURNS,
    });
    this.maxBytes = integerOption(OWNER, 'maxBytes', options.maxBytes, {
      min: 1,
      max: 64 * 1024 * 1024,
      fallback: DEFAULT_MAX_SESSION_BYTES,
    });
    this.ttlMs = integerOption(OWNER, 'ttlMs', options.ttlMs, { min: 1, max, fallback: 86_400_000 });
    const localSessions = integerOption(OWNER, 'localSessions', options.localSessions, {
      min: 1,
      max: 1_000_000,
      fallback: 1_000,
    });
    const commandTimeoutMs = integerOption(OWNER, 'commandTimeoutMs', options.commandTimeoutMs, {
      min: 1,
      max,
      fallback: 1_000,
    });
    this.keyPrefix = keyPrefix;
    this.#onError = onError;
    this.#local = new ConversationHistory({
      maxTurns: this.maxTurns,
      maxBytes: this.maxBytes,
      maxSessions: localSessions,
    });
    this.#owned = typeof redis === 'string';
    const client =
      typeof redis === 'string'
        ? new Redis(redis, {
            // Nothing waits for Redis: a command while it is away fails at once, and the local copy answers.
            enableOfflineQueue: false,
            maxRetriesPerRequest: 0,
            commandTimeout: commandTimeoutMs,
            retryStrategy: (times: number) => Math.min(times * 100, 2_000),
          })
        : redis;
    if (this.#owned) client.on('error', () => {});
    client.defineCommand('appendTurn', { numberOfKeys: 1, lua: APPEND_SCRIPT });
    this.#redis = client as ScriptedRedis;
  }

  async messages(sessionId: string): Promise<HistoryMessage[]> {
    const key = this.#key(sessionId);
    try {
      const [[readError, turns] = [], [expireError] = []] = (await this.#redis
        .multi()
        .lrange(key, 0, -1)
        .pexpire(key, this.ttlMs)
        .exec()) as Array<[Error | null, unknown]>;
      if (readError ?? expireError) throw readError ?? expireError;
      this.#recovered();
      const parsed = (turns as string[]).map((turn) => JSON.parse(turn) as HistoryMessage[]);
      this.#local.clear(sessionId);
      for (const turn of parsed) this.#local.append(sessionId, turn);
      return parsed.flat();
    } catch (error) {
      this.#failed('read a session', error);
      return this.#local.messages(sessionId);
    }
  }

  async append(sessionId: string, messages: HistoryMessage[]): Promise<void> {
    const key = this.#key(sessionId);
    this.#local.append(sessionId, messages);
    const turn = JSON.stringify(messages);
    // A turn over the byte bound alone would be dropped at once: nothing to send.
    if (turnBytes(messages) > this.maxBytes) return;
    try {
      await this.#redis.appendTurn(key, turn, this.maxTurns, this.maxBytes, this.ttlMs);
      this.#recovered();
    } catch (error) {
      this.#failed('save a turn', error);
    }
  }

  async clear(sessionId?: string): Promise<void> {
    this.#local.clear(sessionId);
    try {
      if (sessionId !== undefined) {
        await this.#redis.del(this.#key(sessionId));
        return;
      }
      let cursor = '0';
      do {
        const [next, keys] = await this.#redis.scan(cursor, 'MATCH', `${this.keyPrefix}*`, 'COUNT', 500);
        if (keys.length > 0) await this.#redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    } catch (error) {
      this.#failed('clear sessions', error);
    }
  }

  /**
   * Resolves true once connected to Redis, false after `timeoutMs` without. Calls made before
   * then are served from this process's memory (nothing waits for Redis).
   */
  whenReady(timeoutMs = 2_000): Promise<boolean> {
    const redis = this.#redis;
    if (redis.status === 'ready') return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ready: boolean) => {
        clearTimeout(timer);
        redis.off('ready', onReady);
        resolve(ready);
      };
      const onReady = () => done(true);
      const timer = setTimeout(done, timeoutMs, false);
      redis.on('ready', onReady);
    });
  }

  /** Disconnects from Redis when the store made the connection. */
  async close(): Promise<void> {
    if (!this.#owned) return;
    await this.#redis.quit().catch(() => this.#redis.disconnect());
  }

  #key(sessionId: string): string {
    if (typeof sessionId !== 'string' || sessionId === '' || sessionId.length > 256) {
      throw new MemoryError('MEMORY_INVALID_INPUT', 'sessionId must be a string of 1 to 256 characters');
    }
    return `${this.keyPrefix}${sessionId}`;
  }

  #failed(what: string, error: unknown): void {
    if (this.#failing) return;
    this.#failing = true;
    this.#onError(
      new MemoryError(
        'MEMORY_UNREACHABLE',
        `could not ${what} in Redis (${describeError(error)}); sessions are served from this server's memory until it is back`,
        { cause: error },
      ),
    );
  }

  #recovered(): void {
    this.#failing = false;
  }
}
