/** Runs one SQL statement with `$1`-style parameters; resolves to its rows. */
export interface SqlQueryable {
  query<Row = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<Row[]>;
}

/**
 * What the PostgreSQL memory engine needs from a database: a pool of connections to a server
 * (`PgPoolClient`, through `pg`) or PGlite in the process (`PgliteClient`). The SQL is the same.
 */
export interface SqlClient extends SqlQueryable {
  /** Runs `body` between BEGIN and COMMIT on one connection; ROLLBACK when it throws. */
  transaction<T>(body: (sql: SqlQueryable) => Promise<T>): Promise<T>;
  /**
   * Calls `onMessage` with the payload of every NOTIFY on `channel`, and `onGap` whenever some may
   * have been missed (the listening connection was lost and is back). Resolves once listening.
   */
  listen(channel: string, onMessage: (payload: string) => void, onGap: () => void): Promise<void>;
  /**
   * Resolves once every notification of a transaction committed before the call has been handed
   * to `onMessage` (a round trip on the listening connection: the server sends pending
   * notifications before it answers). At once when nothing listens.
   */
  syncNotifications(): Promise<void>;
  close(): Promise<void>;
}
