import { RedisLink } from './redis-link.js';
import {
  type InvalidationTarget,
  type RedisInvalidationRelayOptions,
  type ResolvedRelayOptions,
  resolveRelayOptions,
} from './relay-options.js';
import { type RedisState, StateBoard, type StateListener, type WhenReadyOptions } from './state-board.js';
import { Subscription } from './subscription.js';

export interface RedisInvalidationRelayStats {
  state: RedisState;
  /** Local invalidations sent to the other replicas. */
  published: number;
  /** Invalidations from other replicas applied here. */
  received: number;
  /** This replica's own messages, heard back and skipped. */
  ignored: number;
  /** Messages on the channel that were not invalidations. */
  malformed: number;
  /** Local invalidations waiting for Redis to come back. */
  pending: number;
  /** Failed or timed-out PUBLISH commands. */
  errors: number;
}

/** One message on the channel. `scope: null` means every scope. */
interface InvalidationMessage {
  replica: string;
  scope: string | null;
}

/**
 * Keeps the memory caches of several replicas consistent: every local invalidation (a memory
 * write) is published on a Redis channel, and every invalidation another replica publishes is
 * applied here with `fromRemote: true` (so it is not published again). Invalidations made while
 * Redis is down are sent when it is back; after a reconnection this replica drops its whole cache
 * once, since it may have missed other replicas' writes meanwhile.
 */
export class RedisInvalidationRelay {
  readonly replicaId: string;
  readonly #options: ResolvedRelayOptions;
  readonly #cache: InvalidationTarget;
  readonly #link: RedisLink;
  readonly #subscription: Subscription;
  readonly #board: StateBoard;
  readonly #unlisten: () => void;
  readonly #pending = new Set<string>();
  #pendingAll = false;
  #everReady = false;
  #closed = false;
  #published = 0;
  #received = 0;
  #ignored = 0;
  #malformed = 0;

  constructor(options: RedisInvalidationRelayOptions) {
    this.#options = resolveRelayOptions(options);
    this.replicaId = this.#options.replicaId;
    this.#cache = this.#options.cache;
    this.#board = new StateBoard(this.#options.logger, `RedisInvalidationRelay(${this.#options.channel})`);
    this.#link = new RedisLink({
      redis: this.#options.redis,
      commandTimeoutMs: this.#options.commandTimeoutMs,
      logger: undefined, // the relay logs its own state: publishing and subscribed
      label: '',
      onError: this.#options.onError,
    });
    this.#subscription = new Subscription(this.#link.client, this.#options.channel, {
      onMessage: (message) => this.#onMessage(message),
      onChange: () => this.#update('subscription lost'),
    });
    this.#link.onStateChange(() => this.#update('connection lost'));
    this.#unlisten = this.#cache.onInvalidate(({ scope }) => this.#publish(scope));
    this.#update('connecting');
  }

  /** `'ready'` while invalidations travel both ways; `'down'` while they wait (see `pending`). */
  get state(): RedisState {
    return this.#board.state;
  }

  /** Calls `listener` on every change of `state`. Returns the function that unsubscribes it. */
  onStateChange(listener: StateListener): () => void {
    return this.#board.onChange(listener);
  }

  /** Resolves `true` once the relay is ready, `false` after `timeoutMs` (default 5,000) or once closed. */
  whenReady(options?: WhenReadyOptions): Promise<boolean> {
    return this.#board.whenReady(options);
  }

  stats(): RedisInvalidationRelayStats {
    return {
      state: this.#board.state,
      published: this.#published,
      received: this.#received,
      ignored: this.#ignored,
      malformed: this.#malformed,
      pending: this.#pendingAll ? 1 : this.#pending.size,
      errors: this.#link.errors,
    };
  }

  /** Stops relaying, unsubscribes and disconnects what the relay opened. A client passed as `redis` stays open. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#unlisten();
    this.#board.close();
    this.#subscription.close();
    await this.#link.close();
  }

  #update(reason: string): void {
    if (this.#closed) return;
    const ready = this.#link.state === 'ready' && this.#subscription.subscribed;
    if (ready === (this.#board.state === 'ready')) return;
    if (!ready) {
      this.#board.set('down', reason);
      return;
    }
    if (this.#everReady) {
      // Other replicas' invalidations may have been missed while this one was cut off.
      this.#cache.invalidate(undefined, { fromRemote: true });
    }
    this.#everReady = true;
    this.#board.set('ready', '');
    this.#flush();
  }

  #publish(scope: string | undefined): void {
    if (this.#closed) return;
    if (this.#board.state !== 'ready') {
      this.#keep(scope);
      return;
    }
    const message: InvalidationMessage = { replica: this.replicaId, scope: scope ?? null };
    this.#link
      .run('publish', (client) => client.publish(this.#options.channel, JSON.stringify(message)))
      .then(
        () => {
          this.#published++;
        },
        () => this.#keep(scope),
      );
  }

  /** Remembers a scope to send once Redis is back; too many become one "all scopes". */
  #keep(scope: string | undefined): void {
    if (this.#pendingAll) return;
    if (
      scope === undefined ||
      (!this.#pending.has(scope) && this.#pending.size >= this.#options.maxPending)
    ) {
      this.#pendingAll = true;
      this.#pending.clear();
      return;
    }
    this.#pending.add(scope);
  }

  #flush(): void {
    const scopes: (string | undefined)[] = this.#pendingAll ? [undefined] : [...this.#pending];
    this.#pendingAll = false;
    this.#pending.clear();
    for (const scope of scopes) this.#publish(scope);
  }

  #onMessage(text: string): void {
    const message = parseMessage(text);
    if (message === undefined) {
      this.#malformed++;
      return;
    }
    if (message.replica === this.replicaId) {
      this.#ignored++;
      return;
    }
    this.#received++;
    try {
      this.#cache.invalidate(message.scope ?? undefined, { fromRemote: true });
    } catch {
      // A remote invalidation is not reported to listeners, so this cannot come from one of them.
    }
  }
}

function parseMessage(text: string): InvalidationMessage | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { replica, scope } = parsed as Record<string, unknown>;
  if (typeof replica !== 'string' || (scope !== null && typeof scope !== 'string')) return undefined;
  return { replica, scope };
}
