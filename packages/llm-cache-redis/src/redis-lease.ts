import type { CacheLease } from '@lunar/llm-cache';
import { RELEASE, RENEW } from './lua-script.js';
import type { RedisLink } from './redis-link.js';

export interface RedisLeaseOptions {
  link: RedisLink;
  lockKey: string;
  token: string;
  /** Life of the Redis lock, renewed while the lease is held. */
  lockMs: number;
  /** Longest the lease is held in all: renewals stop there and the lock runs out. */
  leaseMs: number;
  /** Events channel and the message telling waiters the lock was released. */
  channel: string;
  releasedMessage: string;
  onDone: (lease: RedisLease) => void;
}

/**
 * A claim on computing one key across processes: a Redis lock (`SET NX PX`) holding a random
 * token. A live holder renews it every third of `lockMs`, so a long answer keeps its claim while a
 * dead holder's lock runs out within `lockMs`. Release deletes the lock only if the token is still
 * ours (compare-and-delete in Lua) and tells waiters at once.
 */
export class RedisLease implements CacheLease {
  readonly #options: RedisLeaseOptions;
  readonly #until: number;
  readonly #renewal: NodeJS.Timeout;
  #released = false;

  constructor(options: RedisLeaseOptions) {
    this.#options = options;
    this.#until = Date.now() + options.leaseMs;
    this.#renewal = setInterval(() => this.#renew(), Math.max(1, Math.floor(options.lockMs / 3)));
    this.#renewal.unref();
  }

  /** Never rejects: when Redis cannot be reached the lock runs out by itself within `lockMs`. */
  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    clearInterval(this.#renewal);
    this.#options.onDone(this);
    const { link, lockKey, token, channel, releasedMessage } = this.#options;
    if (!link.usable) return;
    await link
      .run('release', (client) => RELEASE.run(client, [lockKey], [token, channel, releasedMessage]))
      .catch(() => {});
  }

  #renew(): void {
    const left = this.#until - Date.now();
    const { link, lockKey, token, lockMs } = this.#options;
    if (left <= 0) {
      clearInterval(this.#renewal); // the claim has had its time; the lock runs out by itself
      return;
    }
    if (!link.usable) return;
    link
      .run('renew', (client) => RENEW.run(client, [lockKey], [token, Math.min(lockMs, left)]))
      .then(
        (renewed) => {
          if (renewed !== 1) clearInterval(this.#renewal); // the lock ran out; maybe someone else's now
        },
        () => {},
      );
  }
}
