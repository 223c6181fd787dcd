import type Database from 'better-sqlite3';
import { MemoryError } from '../errors.js';

/** The schema this code writes, kept in SQLite's `user_version`. */
export const SCHEMA_VERSION = 1;

/**
 * `MIGRATIONS[n]` brings a file from schema n to n + 1, inside one transaction. Version 1 is the
 * first schema; a later change appends a step here (for example `ALTER TABLE memories ADD COLUMN`),
 * bumps SCHEMA_VERSION, and older files are upgraded on open.
 *
 * - `memories` holds the rows; `id` is the rowid shared with the two indexes, and AUTOINCREMENT
 *   keeps a deleted id from ever being handed out again.
 * - `memory_fts` is a contentless FTS5 index (`content=''`) with `contentless_delete=1`
 *   (SQLite 3.43+): the text lives once, in `memories`, and a row is removed by rowid alone.
 *   Porter stemming over unicode61 (diacritics folded), so "remembers" finds "remember".
 * - `memory_vectors` (sqlite-vec vec0, cosine) is created once the dimension is known; see
 *   `createVectorTable`.
 */
const MIGRATIONS: ReadonlyArray<(db: Database.Database) => void> = [
  (db) => {
    db.exec(`
      CREATE TABLE IF NOT EXISTS memory_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS memories (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        scope TEXT NOT NULL,
        text TEXT NOT NULL,
        metadata TEXT,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS memories_scope ON memories (scope, id);
      CREATE VIRTUAL TABLE IF NOT EXISTS memory_fts USING fts5(
        text, content='', contentless_delete=1, tokenize='porter unicode61 remove_diacritics 2'
      );
    `);
  },
];

/**
 * Connection settings. WAL lets searches read while a write commits. `synchronous = FULL` makes
 * every commit fsync the WAL before `add` resolves, so an acknowledged memory survives a process
 * crash and a power cut alike (NORMAL would survive the crash but could lose the last commits on
 * power loss; a memory write is rare next to an LLM call, so the fsync is cheap here).
 */
export function configureConnection(db: Database.Database, busyTimeoutMs: number): void {
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
}

/** Brings the file up to SCHEMA_VERSION, or refuses a file from a newer version. */
export function migrate(db: Database.Database): void {
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new MemoryError(
        'MEMORY_SCHEMA_UNSUPPORTED',
        `the memory file has schema version ${version}; this version of @lunar/memory reads up to ${SCHEMA_VERSION}`,
      );
    }
    for (let step = version; step < SCHEMA_VERSION; step++) MIGRATIONS[step]!(db);
    if (version !== SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

/** The vector dimension fixed in this file, if any. */
export function readDimensions(db: Database.Database): number | undefined {
  const row = db.prepare("SELECT value FROM memory_meta WHERE key = 'dimensions'").get() as
    | { value: string }
    | undefined;
  return row === undefined ? undefined : Number(row.value);
}

/**
 * Fixes the dimension and creates the vec0 table: cosine distance over L2-normalised vectors, and
 * `scope` as a metadata column, so `scope = ?` is applied inside the KNN scan rather than after it
 * (a partition key would do the same, but preallocates a vector chunk per scope: too costly when
 * there are many small scopes). Call inside a write transaction.
 */
export function createVectorTable(db: Database.Database, dimensions: number): void {
  db.prepare("INSERT INTO memory_meta (key, value) VALUES ('dimensions', ?)").run(String(dimensions));
  db.exec(
    `CREATE VIRTUAL TABLE memory_vectors USING vec0(scope TEXT, embedding float[${dimensions}] distance_metric=cosine)`,
  );
}
