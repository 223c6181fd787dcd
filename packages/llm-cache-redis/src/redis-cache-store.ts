import { randomUUID } from 'node:crypto';
import {
  type AcquireOptions,
  type CacheEntry,
  type CacheLease,
  type CacheStore,
  type CacheStoreStats,
  MemoryCacheStore,
  type WaitForOptions,
} from '@lunar/llm-cache';
import type { ChainableCommander, Redis } from 'ioredis';
import { decodeEntry, encodeEntry, entryFingerprint } from './entry-codec.js';
import { LLMCacheRedisError } from './errors.js';
import { KeyWait, type Probe, type WaitContext } from './key-wait.js';
import { ACQUIRE } from './lua-script.js';
import { ReadGenerations, type ReadTicket } from './read-generations.js';
import { RedisLease } from './redis-lease.js';
import { RedisLink } from './redis-link.js';
import type { RedisState, StateListener, WhenReadyOptions } from './state-board.js';
import { encodeEvent, parseEvent, type StoreEvent } from './store-event.js';
import {
  type RedisCacheStoreOptions,
  type ResolvedStoreOptions,
  resolveStoreOptions,
} from './store-options.js';
import { Subscription } from './subscription.js';

export interface RedisCacheStoreStats extends CacheStoreStats {
  /** `entries`, `bytes` and `evictions` are the local tier's (0 without one). */
  state: RedisState;
  /** Reads answered by the local tier, without a round trip. */
  localHits: number;
  /** Reads answered by Redis. */
  remoteHits: number;
  /** Reads answered by neither (Redis down counts as a miss). */
  misses: number;
  /** Redis commands that failed or timed out, and values that were not entries. */
  errors: number;
  /** `waitFor` calls waiting now. */
  waiters: number;
  /** True while the events channel is heard; false: waiters poll every `pollIntervalMs`. */
  subscribed: boolean;
}

/** A lease that claims nothing: compute here (Redis is down, so nobody else can be told). */
const LOCAL_LEASE: CacheLease = Object.freeze({ release() {} });

/**
 * A {@link CacheStore} for `LLMCache` shared by every replica through Redis, with an in-process tier
 * in front (a local hit costs no round trip) and cross-replica single-flight (`acquire`/`waitFor`).
 * Redis down or slow never fails a call: reads miss, writes are skipped, claims compute locally,
 * and sharing resumes by itself when Redis answers again.
 */
export class RedisCacheStore implements CacheStore {
  readonly #options: ResolvedStoreOptions;
  readonly #link: RedisLink;
  readonly #events: Subscription;
  readonly #channel: string;
  readonly #local: MemoryCacheStore | undefined;
  readonly #id = randomUUID();
  readonly #reads = new Map<string, Promise<CacheEntry | undefined>>();
  /** So that a read answered after a delete, replace or clear does not refill the local tier. */
  readonly #generations = new ReadGenerations();
  readonly #waits = new Map<string, Set<KeyWait>>();
  readonly #leases = new Set<RedisLease>();
  readonly #waitContext: WaitContext;
  #waiting = 0;
  #localHits = 0;
  #remoteHits = 0;
  #misses = 0;
  #closed = false;

  constructor(options: RedisCacheStoreOptions) {
    this.#options = resolveStoreOptions(options);
    const { prefix, local } = this.#options;
    this.#local = local === undefined ? undefined : new MemoryCacheStore(local);
    this.#channel = `${prefix}events`;
    this.#link = new RedisLink({
      redis: this.#options.redis,
      commandTimeoutMs: this.#options.commandTimeoutMs,
      logger: this.#options.logger,
      label: `RedisCacheStore(${prefix})`,
      onError: this.#options.onError,
    });
    this.#events = new Subscription(this.#link.client, this.#channel, {
      onMessage: (message) => this.#onEvent(message),
      // Subscribed again: events may have been missed, so every waiter looks now. Lost: they poll.
      onChange: () => this.#checkAllWaiters(),
    });
    this.#waitContext = {
      probe: (key, since) => this.#probe(key, since),
      subscribed: () => this.#events.subscribed,
      pollIntervalMs: this.#options.pollIntervalMs,
    };
  }

  /** `'ready'` while Redis answers in time; `'down'` while the store serves from the local tier only. */
  get state(): RedisState {
    return this.#link.state;
  }

  /** Calls `listener` on every change of `state`. Returns the function that unsubscribes it. */
  onStateChange(listener: StateListener): () => void {
    return this.#link.onStateChange(listener);
  }

  /** Resolves `true` once Redis is ready, `false` after `timeoutMs` (default 5,000) or once closed. */
  whenReady(options?: WhenReadyOptions): Promise<boolean> {
    return this.#link.whenReady(options);
  }

  get(key: string): CacheEntry | undefined | Promise<CacheEntry | undefined> {
    const local = this.#local?.get(key);
    if (local !== undefined) {
      this.#localHits++;
      return local;
    }
    if (!this.#link.usable) {
      this.#misses++;
      return undefined;
    }
    let read = this.#reads.get(key);
    if (read === undefined) {
      // Identical reads in flight share one round trip (until the key is invalidated).
      const reading = this.#readRemote(key).finally(() => {
        if (this.#reads.get(key) === reading) this.#reads.delete(key);
      });
      read = reading;
      this.#reads.set(key, read);
    }
    return read.then((entry) => {
      if (entry === undefined) this.#misses++;
      else this.#remoteHits++;
      return entry;
    });
  }

  set(key: string, entry: CacheEntry, ttlMs: number): void | Promise<void> {
    this.#invalidate(key);
    this.#local?.set(key, entry, ttlMs);
    if (!this.#link.usable) return;
    const value = encodeEntry(entry, this.#options.compressAboveBytes);
    const event = encodeEvent({ type: 'set', key, origin: this.#id, fingerprint: entryFingerprint(entry) });
    return this.#quietly('set', (client) => {
      const pipeline = client.pipeline();
      if (Number.isFinite(ttlMs))
        pipeline.set(this.#entryKey(key), value, 'PX', Math.max(1, Math.ceil(ttlMs)));
      else pipeline.set(this.#entryKey(key), value);
      return pipeline.publish(this.#channel, event);
    });
  }

  delete(key: string): void | Promise<void> {
    this.#invalidate(key);
    this.#local?.delete(key);
    if (!this.#link.usable) return;
    const event = encodeEvent({ type: 'deleted', key, origin: this.#id });
    return this.#quietly('delete', (client) =>
      client.pipeline().del(this.#entryKey(key)).publish(this.#channel, event),
    );
  }

  /** Drops every entry under the prefix (SCAN + UNLINK, 500 at a time) and every replica's local tier. */
  async clear(): Promise<void> {
    this.#invalidateAll();
    this.#local?.clear();
    if (!this.#link.usable) return;
    const pattern = `${escapeGlob(this.#options.prefix)}entry:*`;
    let cursor = '0';
    try {
      do {
        const [next, keys] = await this.#link.run('clear', (client) =>
          client.scan(cursor, 'MATCH', pattern, 'COUNT', 500),
        );
        if (keys.length > 0) await this.#link.run('clear', (client) => client.unlink(...keys));
        cursor = next;
      } while (cursor !== '0');
      const event = encodeEvent({ type: 'cleared', origin: this.#id });
      await this.#link.run('clear', (client) => client.publish(this.#channel, event));
    } catch {
      // Counted by the link; what was not dropped runs out with its TTL.
    }
  }

  stats(): RedisCacheStoreStats {
    const local = this.#local?.stats() ?? { entries: 0, bytes: 0, evictions: 0 };
    return {
      ...local,
      state: this.#link.state,
      localHits: this.#localHits,
      remoteHits: this.#remoteHits,
      misses: this.#misses,
      errors: this.#link.errors,
      waiters: this.#waiting,
      subscribed: this.#events.subscribed,
    };
  }

  /**
   * Claims `key` for computing: a lease when this process should compute (also when Redis is down,
   * so the answer is computed here), `undefined` when another process holds the claim or has
   * already stored the answer (then `waitFor` serves it). With `fresh`, a stored answer does not
   * count: only another process's claim keeps this one from computing.
   */
  async acquire(key: string, leaseMs: number, options?: AcquireOptions): Promise<CacheLease | undefined> {
    if (!this.#link.usable) return LOCAL_LEASE;
    const token = randomUUID();
    const lockMs = Math.max(1, Math.min(this.#options.lockMs, Math.ceil(leaseMs)));
    const fresh = options?.fresh === true ? '1' : '0';
    let claimed: unknown;
    try {
      claimed = await this.#link.run('acquire', (client) =>
        ACQUIRE.run(client, [this.#entryKey(key), this.#lockKey(key)], [token, lockMs, fresh]),
      );
    } catch {
      return LOCAL_LEASE;
    }
    if (claimed !== 1) return undefined;
    const lease = new RedisLease({
      link: this.#link,
      lockKey: this.#lockKey(key),
      token,
      lockMs,
      leaseMs,
      channel: this.#channel,
      releasedMessage: encodeEvent({ type: 'released', key, origin: this.#id }),
      onDone: (done) => this.#leases.delete(done),
    });
    if (this.#closed) {
      void lease.release();
      return LOCAL_LEASE;
    }
    this.#leases.add(lease);
    return lease;
  }

  /**
   * Waits for the answer another process is computing: resolves to it when it lands, or to
   * `undefined` at `timeoutMs`, when the holder releases or dies without an answer, when Redis
   * fails, or at once when `maxWaiters` calls already wait. With `since`, an entry created earlier
   * counts as not there yet. Rejects with the signal's reason on abort.
   */
  waitFor(key: string, options: WaitForOptions): Promise<CacheEntry | undefined> {
    const { signal, since } = options;
    signal?.throwIfAborted();
    const local = this.#local?.get(key);
    if (local !== undefined && (since === undefined || local.createdAt >= since))
      return Promise.resolve(local);
    if (!this.#link.usable || this.#waiting >= this.#options.maxWaiters) return Promise.resolve(undefined);
    let waits = this.#waits.get(key);
    if (waits === undefined) {
      waits = new Set();
      this.#waits.set(key, waits);
    }
    const keyWaits = waits;
    const wait = new KeyWait(this.#waitContext, key, { timeoutMs: options.timeoutMs, signal, since }, () => {
      this.#waiting--;
      keyWaits.delete(wait);
      if (keyWaits.size === 0 && this.#waits.get(key) === keyWaits) this.#waits.delete(key);
    });
    keyWaits.add(wait);
    this.#waiting++;
    wait.check();
    return wait.promise;
  }

  /**
   * Releases the locks this store holds (so other replicas compute at once), ends every wait with
   * `undefined`, unsubscribes and disconnects what the store opened. A client passed as `redis` stays
   * open. Afterwards the store serves from its local tier only.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([...this.#leases].map((lease) => lease.release()));
    for (const waits of [...this.#waits.values()]) for (const wait of [...waits]) wait.finish(undefined);
    this.#events.close();
    await this.#link.close();
  }

  async #readRemote(key: string): Promise<CacheEntry | undefined> {
    const ticket = this.#generations.begin(key);
    try {
      return await this.#fetch(key, ticket);
    } finally {
      this.#generations.end(ticket);
    }
  }

  async #fetch(key: string, ticket: ReadTicket): Promise<CacheEntry | undefined> {
    let found: [Buffer | null, number];
    try {
      found = await this.#link.run('get', async (client) => {
        const results = await client
          .pipeline()
          .getBuffer(this.#entryKey(key))
          .pttl(this.#entryKey(key))
          .exec();
        return [pipelineResult(results, 0) as Buffer | null, pipelineResult(results, 1) as number];
      });
    } catch {
      return undefined;
    }
    const [value, ttlMs] = found;
    if (value === null) return undefined;
    let entry: CacheEntry;
    try {
      entry = decodeEntry(value);
    } catch (error) {
      this.#link.report(invalidValue(key, error));
      return undefined;
    }
    this.#keepLocally(ticket, entry, ttlMs);
    return entry;
  }

  async #probe(key: string, since: number): Promise<Probe> {
    const local = this.#local?.get(key);
    if (local !== undefined && local.createdAt >= since) return { entry: local, lockTtlMs: -2 };
    const ticket = this.#generations.begin(key);
    try {
      return await this.#probeRemote(key, ticket);
    } finally {
      this.#generations.end(ticket);
    }
  }

  async #probeRemote(key: string, ticket: ReadTicket): Promise<Probe> {
    const [value, ttlMs, lockTtlMs] = await this.#link.run('waitFor', async (client) => {
      const results = await client
        .pipeline()
        .getBuffer(this.#entryKey(key))
        .pttl(this.#entryKey(key))
        .pttl(this.#lockKey(key))
        .exec();
      return [0, 1, 2].map((index) => pipelineResult(results, index)) as [Buffer | null, number, number];
    });
    if (value === null) return { entry: undefined, lockTtlMs };
    try {
      const entry = decodeEntry(value);
      this.#keepLocally(ticket, entry, ttlMs);
      return { entry, lockTtlMs };
    } catch (error) {
      this.#link.report(invalidValue(key, error));
      return { entry: undefined, lockTtlMs: -2 };
    }
  }

  #onEvent(message: string): void {
    const event = parseEvent(message);
    if (event === undefined) return;
    if (event.origin !== this.#id) this.#dropLocal(event);
    if (event.key === undefined) return;
    if (event.type === 'set' || event.type === 'released') {
      for (const wait of this.#waits.get(event.key) ?? []) wait.check();
    }
  }

  /**
   * Another replica wrote, deleted or cleared: the local copy may be stale, and so may a read in
   * flight. A copy (or read) of exactly the answer announced by a `set` is kept.
   */
  #dropLocal(event: StoreEvent): void {
    const { key, fingerprint } = event;
    if (event.type === 'cleared') {
      this.#invalidateAll();
      this.#local?.clear();
    } else if (key === undefined || event.type === 'released') {
      return;
    } else if (event.type === 'set' && fingerprint !== undefined) {
      this.#generations.announce(key, fingerprint);
      this.#reads.delete(key);
      const local = this.#local?.get(key);
      if (local !== undefined && entryFingerprint(local) !== fingerprint) this.#local?.delete(key);
    } else {
      this.#invalidate(key);
      this.#local?.delete(key);
    }
  }

  /**
   * Keeps an entry read from Redis in the local tier, no longer than Redis keeps it (-1: no expiry
   * there either), unless its key was invalidated while the read was in flight.
   */
  #keepLocally(ticket: ReadTicket, entry: CacheEntry, ttlMs: number): void {
    if (ttlMs === -2 || !this.#generations.current(ticket, entry)) return;
    this.#local?.set(ticket.key, entry, ttlMs > 0 ? ttlMs : Number.POSITIVE_INFINITY);
  }

  /** `key` changed: a read of it in flight must neither refill the local tier nor be joined. */
  #invalidate(key: string): void {
    this.#generations.invalidate(key);
    this.#reads.delete(key);
  }

  #invalidateAll(): void {
    this.#generations.invalidateAll();
    this.#reads.clear();
  }

  #checkAllWaiters(): void {
    for (const waits of this.#waits.values()) for (const wait of waits) wait.check();
  }

  /** Runs a pipeline of writes; a failure is counted (and may mark Redis down), never thrown. */
  async #quietly(name: string, build: (client: Redis) => ChainableCommander): Promise<void> {
    try {
      await this.#link.run(name, async (client) => {
        const results = await build(client).exec();
        for (let index = 0; index < (results?.length ?? 0); index++) pipelineResult(results, index);
      });
    } catch {
      // Counted by the link; the entry is still in the local tier.
    }
  }

  #entryKey(key: string): string {
    return `${this.#options.prefix}entry:${key}`;
  }

  #lockKey(key: string): string {
    return `${this.#options.prefix}lock:${key}`;
  }
}

type PipelineResults = [error: Error | null, result: unknown][] | null;

/** One command's result in a pipeline; throws its error. */
function pipelineResult(results: PipelineResults, index: number): unknown {
  const entry = results?.[index];
  if (entry === undefined) throw new Error('the pipeline returned no result');
  if (entry[0] !== null) throw entry[0];
  return entry[1];
}

function invalidValue(key: string, error: unknown): LLMCacheRedisError {
  const reason = error instanceof LLMCacheRedisError ? error.message : 'unreadable';
  return new LLMCacheRedisError('LLM_CACHE_REDIS_INVALID_VALUE', `${key}: ${reason}`, { cause: error });
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
