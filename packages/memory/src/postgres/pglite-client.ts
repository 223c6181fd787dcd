import type { SqlClient, SqlQueryable } from './sql-client.js';

/**
 * The part of a PGlite instance (`@electric-sql/pglite`, PostgreSQL compiled to WebAssembly, in the
 * process) the memory store uses. Create it with the `vector` extension for pgvector search.
 */
export interface PgliteDatabase {
  query<Row>(text: string, values?: unknown[]): Promise<{ rows: Row[] }>;
  transaction<T>(
    body: (transaction: {
      query<Row>(text: string, values?: unknown[]): Promise<{ rows: Row[] }>;
    }) => Promise<T>,
  ): Promise<T>;
  listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>;
}

/** PGlite as a `SqlClient`: one connection, in the process; the caller owns (and closes) the instance. */
export class PgliteClient implements SqlClient {
  readonly #database: PgliteDatabase;
  readonly #unlisten: Array<() => Promise<void>> = [];

  constructor(database: PgliteDatabase) {
    this.#database = database;
  }

  async query<Row>(text: string, values: readonly unknown[] = []): Promise<Row[]> {
    return (await this.#database.query<Row>(text, [...values])).rows;
  }

  transaction<T>(body: (sql: SqlQueryable) => Promise<T>): Promise<T> {
    return this.#database.transaction((transaction) =>
      body({
        query: async <Row>(text: string, values: readonly unknown[] = []) =>
          (await transaction.query<Row>(text, [...values])).rows,
      }),
    );
  }

  async listen(channel: string, onMessage: (payload: string) => void): Promise<void> {
    this.#unlisten.push(await this.#database.listen(channel, onMessage));
  }

  async syncNotifications(): Promise<void> {
    if (this.#unlisten.length > 0) await this.#database.query('SELECT 1');
  }

  async close(): Promise<void> {
    await Promise.all(this.#unlisten.splice(0).map((unlisten) => unlisten()));
  }
}
