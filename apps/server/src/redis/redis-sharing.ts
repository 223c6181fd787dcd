import type { LLMCacheRedisError, Logger, RedisState } from '@lunar/llm-cache-redis';
import {
  type InvalidationTarget,
  RedisCacheStore,
  type RedisCacheStoreStats,
  RedisInvalidationRelay,
  type RedisInvalidationRelayStats,
} from '@lunar/llm-cache-redis';
import type { FastifyBaseLogger } from 'fastify';

/** What `/readyz` and `/metrics` report about Redis. */
export interface RedisHealth {
  /** `'ready'` when the LLM cache store (and the memory relay, when there is one) reach Redis, else `'down'`. */
  state: RedisState;
  llmCache: RedisCacheStoreStats;
  /** The relay of memory-search cache invalidations; absent with memories on PostgreSQL (which carries them). */
  memoryInvalidation?: RedisInvalidationRelayStats;
}

export interface RedisSharingOptions {
  /** `redis://` or `rediss://` URL. */
  url: string;
  /**
   * The agent's memory-search cache, whose invalidations go to every replica through Redis. Leave
   * it out when the memories are on PostgreSQL: its notifications carry them already.
   */
  memoryCache?: InvalidationTarget;
  replicaId: string;
  log: FastifyBaseLogger;
}

/** The LLM cache's local tier: the same bounds as the in-memory default store. */
const LOCAL_TIER = { maxEntries: 10_000, maxBytes: 64 * 1024 * 1024 };

/**
 * A replica's link to the other replicas through Redis: the LLM cache's store (two tiers, joining
 * across replicas) and, with a `memoryCache`, the relay that carries memory-search cache
 * invalidations. Neither ever fails a request: while Redis is down the replica serves from its own
 * memory.
 */
export class RedisSharing {
  readonly store: RedisCacheStore;
  readonly relay: RedisInvalidationRelay | undefined;
  readonly #log: FastifyBaseLogger;
  #announcedDown = false;
  #closing: Promise<void> | undefined;

  constructor(options: RedisSharingOptions) {
    const { log } = options;
    this.#log = log;
    // One line when Redis goes away (whichever component notices first), one when both reach it again.
    const logger: Logger = {
      warn: (message) => {
        if (this.#announcedDown) return;
        this.#announcedDown = true;
        log.warn(message);
      },
      info: () => this.#announceBack(),
    };
    const onError = (error: LLMCacheRedisError) =>
      log.debug({ code: error.code, reason: error.message }, 'redis command failed; served locally');
    this.store = new RedisCacheStore({ redis: options.url, local: LOCAL_TIER, logger, onError });
    try {
      this.relay =
        options.memoryCache === undefined
          ? undefined
          : new RedisInvalidationRelay({
              redis: options.url,
              cache: options.memoryCache,
              replicaId: options.replicaId,
              logger,
              onError,
            });
    } catch (error) {
      void this.store.close();
      throw error;
    }
    this.store.onStateChange(() => this.#announceBack());
    this.relay?.onStateChange(() => this.#announceBack());
  }

  #announceBack(): void {
    if (!this.#announcedDown || this.state !== 'ready' || this.#closing !== undefined) return;
    this.#announcedDown = false;
    this.#log.info('redis back: the LLM cache and memory invalidations are shared across replicas again');
  }

  get state(): RedisState {
    return this.store.state === 'ready' && (this.relay?.state ?? 'ready') === 'ready' ? 'ready' : 'down';
  }

  /** Waits up to `timeoutMs` for both components; true when Redis answered in time. */
  async whenReady(timeoutMs: number): Promise<boolean> {
    const [store, relay] = await Promise.all([
      this.store.whenReady({ timeoutMs }),
      this.relay?.whenReady({ timeoutMs }) ?? true,
    ]);
    return store && relay;
  }

  health(): RedisHealth {
    const relay = this.relay === undefined ? {} : { memoryInvalidation: this.relay.stats() };
    return { state: this.state, llmCache: this.store.stats(), ...relay };
  }

  /** Stops listening, releases the locks this replica holds and disconnects. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= Promise.all([this.relay?.close(), this.store.close()]).then(() => undefined);
    return this.#closing;
  }
}
