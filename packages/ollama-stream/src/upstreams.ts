import { BalancedPool, type Dispatcher, type Pool } from 'undici';
import { HostClient, HostPool, type HostRecord } from './host-pool.js';
import type { ResolvedOptions } from './options.js';

/** Per-host state, as `client.hosts()` reports it. */
export interface HostStats {
  /** Base URL of the host. */
  url: string;
  /** Requests sent to it (retries and probes included). */
  requests: number;
  /** Attempts that failed before a response: refused, reset, closed. */
  failures: number;
  /** Connections open to it now. */
  connected: number;
  /** Requests running on it now. */
  running: number;
  /** True while it is skipped after refusing connections (several hosts only). */
  down: boolean;
  // Added later: always set by `hosts()`, optional in the type so HostStats built elsewhere still compile.
  /** Of the connections, those idle now, ready for the next request. */
  free?: number;
  /** Requests waiting for a free connection to it now (more than `connections` at once). */
  queued?: number;
  /** While `down`: when it is tried again (ms since the epoch, as `Date.now()`); else undefined. */
  downUntil?: number;
}

const FIRST_SKIP_MS = 1000;
const LONGEST_SKIP_MS = 30_000;

/**
 * The connection pools: an undici Pool for one host, a BalancedPool for several. A host of several
 * that fails before answering is taken out of the balanced pool (while another is in) and put back
 * after a backoff (1 s doubling to 30 s), so requests stop waiting on a dead server.
 */
export class Upstreams {
  readonly dispatcher: Dispatcher;
  readonly #records: HostRecord[];
  readonly #balanced: BalancedPool | undefined;
  readonly #poolOptions: Pool.Options;
  #closed = false;

  constructor(options: ResolvedOptions) {
    this.#records = options.hosts.map((url) => {
      const parsed = new URL(url);
      return {
        url,
        origin: parsed.origin,
        path: parsed.pathname === '/' ? '' : parsed.pathname.replace(/\/+$/, ''),
        requests: 0,
        failures: 0,
        downUntil: 0,
        downStreak: 0,
        pool: undefined,
        probe: undefined,
      };
    });
    const poolOptions: Pool.Options = {
      connections: options.connections,
      keepAliveTimeout: options.keepAliveTimeout,
      keepAliveMaxTimeout: options.keepAliveTimeout,
      // Lunar enforces its own deadlines: undici's 300 s header/body timeouts would kill slow models.
      headersTimeout: 0,
      bodyTimeout: 0,
    };
    this.#poolOptions = poolOptions;
    if (this.#records.length === 1) {
      this.dispatcher = new HostPool(this.#records[0]!, poolOptions);
      this.#balanced = undefined;
    } else {
      const byOrigin = new Map(this.#records.map((record) => [record.origin, record]));
      this.#balanced = new BalancedPool(
        this.#records.map((record) => record.origin),
        {
          ...poolOptions,
          factory: (origin: URL | string, factoryOptions: object) =>
            new HostPool(byOrigin.get(new URL(origin).origin)!, factoryOptions as Pool.Options),
        },
      );
      this.dispatcher = this.#balanced;
    }
  }

  /** Base URLs of every host, for messages. */
  get urls(): string[] {
    return this.#records.map((record) => record.url);
  }

  get several(): boolean {
    return this.#balanced !== undefined;
  }

  /** Every host's record, in the order the hosts were given. */
  get records(): readonly HostRecord[] {
    return this.#records;
  }

  /**
   * One host's probe connection: an undici Client of its own (one connection, kept alive like the
   * pool's), apart from the pool, so a probe never waits behind calls that hold every connection.
   */
  probeDispatcher(record: HostRecord): Dispatcher {
    if (!record.probe || record.probe.closed || record.probe.destroyed) {
      const { keepAliveTimeout, keepAliveMaxTimeout, headersTimeout, bodyTimeout } = this.#poolOptions;
      record.probe = new HostClient(record, {
        keepAliveTimeout,
        keepAliveMaxTimeout,
        headersTimeout,
        bodyTimeout,
      });
    }
    return record.probe;
  }

  /** Put skipped hosts whose backoff has passed back in. */
  refresh(now: number): void {
    if (!this.#balanced || this.#closed) return;
    for (const record of this.#records) {
      if (record.downUntil !== 0 && record.downUntil <= now) {
        record.downUntil = 0;
        this.#balanced.addUpstream(record.origin);
      }
    }
  }

  /**
   * An attempt on `record` failed before any response. A host of several that could not be
   * connected to is skipped while another is in use. Returns true when another host can take the retry.
   */
  failed(record: HostRecord | undefined, connectFailed: boolean, now: number): boolean {
    if (!record) return false;
    record.failures++;
    if (!this.#balanced) return false;
    if (connectFailed && record.downUntil === 0) {
      if (!this.#records.some((other) => other !== record && other.downUntil === 0)) return false;
      record.downUntil = now + Math.min(LONGEST_SKIP_MS, FIRST_SKIP_MS * 2 ** record.downStreak);
      record.downStreak++;
      this.#balanced.removeUpstream(record.origin);
    }
    return record.downUntil !== 0 && this.#records.some((other) => other.downUntil === 0);
  }

  /**
   * `record` answered. With `revive` (a probe's answer), a skipped host is put back in at once
   * rather than after its backoff.
   */
  succeeded(record: HostRecord | undefined, revive = false): void {
    if (!record) return;
    record.downStreak = 0;
    if (revive && record.downUntil !== 0 && this.#balanced && !this.#closed) {
      record.downUntil = 0;
      this.#balanced.addUpstream(record.origin);
    }
  }

  stats(): HostStats[] {
    const now = performance.now();
    this.refresh(now);
    const wallClock = Date.now();
    return this.#records.map((record) => {
      const pool = record.pool && !record.pool.closed ? record.pool : undefined;
      const stats = pool?.stats;
      const down = record.downUntil !== 0;
      return {
        url: record.url,
        requests: record.requests,
        failures: record.failures,
        connected: stats?.connected ?? 0,
        free: stats?.free ?? 0,
        running: stats?.running ?? 0,
        queued: stats?.queued ?? 0,
        down,
        downUntil: down ? Math.round(wallClock + record.downUntil - now) : undefined,
      };
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([this.dispatcher.close(), ...this.#records.map((record) => record.probe?.close())]);
  }
}
