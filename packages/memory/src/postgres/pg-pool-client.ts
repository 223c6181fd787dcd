import pg from 'pg';
import { describeError, MemoryError } from '../errors.js';
import type { SqlClient, SqlQueryable } from './sql-client.js';

export interface PgPoolClientOptions {
  /** `postgres://` URL; what it leaves out comes from the `PG*` environment variables, as with psql. */
  connection: string | undefined;
  maxConnections: number;
  connectTimeoutMs: number;
  /** How long a call keeps trying while the server cannot be reached (restarting, say). */
  retryTimeoutMs: number;
  /** Statements every new connection runs first (session settings). */
  onConnect: readonly string[];
  /** Failures nobody awaits: an idle connection lost, the listening connection lost. */
  onError: (error: MemoryError) => void;
}

// Codes of a lost or refused connection: the network's, and PostgreSQL's own (class 08, shutting
// down, starting up). A statement that failed this way did not run (or its transaction rolled back).
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN']);
const SERVER_CODES = new Set(['57P01', '57P02', '57P03']);
const LOST =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i;

function isConnectionFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (
    typeof code === 'string' &&
    (NETWORK_CODES.has(code) || SERVER_CODES.has(code) || code.startsWith('08'))
  ) {
    return true;
  }
  return error instanceof Error && LOST.test(error.message);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const MAX_BACKOFF_MS = 1_000;

/** Where the server is, for messages (never the password). */
export function describeConnection(connection: string | undefined): string {
  if (connection === undefined) {
    const env = process.env;
    return `${env.PGHOST ?? 'localhost'}:${env.PGPORT ?? 5432}/${env.PGDATABASE ?? env.PGUSER ?? ''} (from the PG* environment variables)`;
  }
  try {
    const url = new URL(connection);
    return `${url.hostname || 'localhost'}${url.port ? `:${url.port}` : ''}${url.pathname}`;
  } catch {
    return 'the configured server';
  }
}

/**
 * A `pg` pool as a `SqlClient`. A call that cannot reach the server is tried again, with a growing
 * pause, for `retryTimeoutMs`: a read always; a transaction only when its COMMIT was not sent
 * (until then a lost connection rolls it back, so nothing was saved twice). The pool drops broken
 * connections and opens new ones by itself, so a restarted server is picked up again.
 */
export class PgPoolClient implements SqlClient {
  readonly #pool: pg.Pool;
  readonly #options: PgPoolClientOptions;
  readonly #where: string;
  readonly #listeners: NotificationListener[] = [];

  constructor(options: PgPoolClientOptions) {
    this.#options = options;
    this.#where = describeConnection(options.connection);
    this.#pool = new pg.Pool({
      ...(options.connection === undefined ? {} : { connectionString: options.connection }),
      max: options.maxConnections,
      connectionTimeoutMillis: options.connectTimeoutMs,
      idleTimeoutMillis: 30_000,
    });
    // An idle connection that breaks (the server restarted) is dropped by the pool; say it once.
    this.#pool.on('error', (error) => options.onError(this.#failure('lost an idle connection', error)));
    if (options.onConnect.length > 0) {
      this.#pool.on('connect', (client) => {
        for (const statement of options.onConnect) client.query(statement).catch(() => {});
      });
    }
  }

  query<Row>(text: string, values: readonly unknown[] = []): Promise<Row[]> {
    return this.#retrying(async () => (await this.#pool.query(text, [...values])).rows as Row[]);
  }

  transaction<T>(body: (sql: SqlQueryable) => Promise<T>): Promise<T> {
    return this.#retrying(async () => {
      const client = await this.#pool.connect();
      // A connection lost between two statements is reported here as well as to the statement.
      let broken: unknown;
      const onLost = (error: unknown) => {
        broken ??= error;
      };
      client.on('error', onLost);
      try {
        await client.query('BEGIN');
        const result = await body({
          query: async <Row>(text: string, values: readonly unknown[] = []) =>
            (await client.query(text, [...values])).rows as Row[],
        });
        try {
          await client.query('COMMIT');
        } catch (error) {
          broken = error;
          if (!isConnectionFailure(error)) throw error;
          // Sent, but no answer: whether it committed is unknown, so it must not be tried again.
          throw this.#failure(
            'lost the connection during COMMIT; the write may or may not be saved',
            error,
            false,
          );
        }
        return result;
      } catch (error) {
        broken ??= error;
        if (error instanceof MemoryError || isConnectionFailure(error)) throw error;
        await client.query('ROLLBACK').catch((rollback: unknown) => {
          broken = rollback;
        });
        throw error;
      } finally {
        client.off('error', onLost);
        client.release(isConnectionFailure(broken) ? (broken as Error) : undefined);
      }
    });
  }

  async listen(channel: string, onMessage: (payload: string) => void, onGap: () => void): Promise<void> {
    const listener = new NotificationListener(this.#options, channel, onMessage, onGap, (error) =>
      this.#options.onError(
        this.#failure("lost the connection that listens for other servers' writes", error),
      ),
    );
    this.#listeners.push(listener);
    await listener.start();
  }

  async syncNotifications(): Promise<void> {
    await Promise.all(this.#listeners.map((listener) => listener.sync()));
  }

  async close(): Promise<void> {
    await Promise.all(this.#listeners.splice(0).map((listener) => listener.stop()));
    await this.#pool.end();
  }

  async #retrying<T>(attempt: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.#options.retryTimeoutMs;
    for (let pause = 50; ; pause = Math.min(pause * 2, MAX_BACKOFF_MS)) {
      try {
        return await attempt();
      } catch (error) {
        if (error instanceof MemoryError || !isConnectionFailure(error)) throw error;
        if (Date.now() + pause > deadline) throw this.#failure('cannot be reached', error);
        await sleep(pause);
      }
    }
  }

  #failure(what: string, error: unknown, retried = true): MemoryError {
    const after = retried ? ` (tried for ${this.#options.retryTimeoutMs} ms)` : '';
    return new MemoryError(
      'MEMORY_UNREACHABLE',
      `the PostgreSQL memory store at ${this.#where} ${what}${after}: ${describeError(error)}`,
      { cause: error },
    );
  }
}

/**
 * One connection of its own (not from the pool) that LISTENs on a channel, and reconnects with a
 * growing pause when it is lost; once back, `onGap` says notifications may have been missed.
 */
class NotificationListener {
  readonly #options: PgPoolClientOptions;
  readonly #channel: string;
  readonly #onMessage: (payload: string) => void;
  readonly #onGap: () => void;
  readonly #onError: (error: unknown) => void;
  #client: pg.Client | undefined;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  #pause = 50;
  #syncing: Promise<void> | undefined;
  #nextSync: Promise<void> | undefined;

  constructor(
    options: PgPoolClientOptions,
    channel: string,
    onMessage: (payload: string) => void,
    onGap: () => void,
    onError: (error: unknown) => void,
  ) {
    this.#options = options;
    this.#channel = channel;
    this.#onMessage = onMessage;
    this.#onGap = onGap;
    this.#onError = onError;
  }

  /** Connects and listens; the first attempt's failure rejects (the store cannot open). */
  async start(): Promise<void> {
    await this.#connect();
  }

  /**
   * One `SELECT 1` on the listening connection, shared by every caller that arrived before it was
   * sent: callers arriving while one is on the wire wait for the next. While the connection is
   * down it resolves at once (writes missed meanwhile are covered by `onGap` when it is back).
   */
  sync(): Promise<void> {
    if (this.#syncing === undefined) {
      const client = this.#client;
      if (client === undefined) return Promise.resolve();
      this.#syncing = client
        .query('SELECT 1')
        .then(
          () => {},
          () => {},
        )
        .finally(() => {
          this.#syncing = undefined;
        });
      return this.#syncing;
    }
    this.#nextSync ??= this.#syncing.then(() => {
      this.#nextSync = undefined;
      return this.sync();
    });
    return this.#nextSync;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#client?.end().catch(() => {});
  }

  async #connect(): Promise<void> {
    const client = new pg.Client({
      ...(this.#options.connection === undefined ? {} : { connectionString: this.#options.connection }),
      connectionTimeoutMillis: this.#options.connectTimeoutMs,
    });
    let lost = false;
    const onLost = (error?: unknown) => {
      if (lost) return;
      lost = true;
      if (this.#client === client) this.#client = undefined;
      client.end().catch(() => {});
      if (this.#stopped) return;
      this.#onError(error ?? new Error('the connection ended'));
      this.#schedule();
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (message) => {
      if (message.channel === this.#channel) this.#onMessage(message.payload ?? '');
    });
    try {
      await client.connect();
      await client.query(`LISTEN "${this.#channel}"`);
    } catch (error) {
      lost = true;
      client.end().catch(() => {});
      throw error;
    }
    this.#client = client;
    this.#pause = 50;
  }

  #schedule(): void {
    this.#timer = setTimeout(() => {
      this.#connect().then(
        () => {
          if (this.#stopped) return void this.#client?.end().catch(() => {});
          this.#onGap();
        },
        () => {
          this.#pause = Math.min(this.#pause * 2, MAX_BACKOFF_MS);
          if (!this.#stopped) this.#schedule();
        },
      );
    }, this.#pause);
  }
}
