import type Database from 'better-sqlite3';
import { formatMemoryId } from '../memory-id.js';
import type { Memory } from '../types.js';
import { parseMetadata } from '../validate.js';

export interface MemoryRow {
  id: number;
  scope: string;
  text: string;
  metadata: string | null;
  created_at: number;
}

export function toMemory(row: MemoryRow): Memory {
  return {
    id: formatMemoryId(row.id),
    text: row.text,
    scope: row.scope,
    metadata: parseMetadata(row.metadata),
    createdAt: row.created_at,
  };
}

const ROW_COLUMNS = 'id, scope, text, metadata, created_at';

/** Every SQL statement the store runs, prepared once per connection. */
export class MemoryStatements {
  readonly insertRow: Database.Statement<[string, string, string | null, number]>;
  readonly insertText: Database.Statement<[number | bigint, string]>;
  readonly deleteRow: Database.Statement<[number]>;
  readonly deleteText: Database.Statement<[number]>;
  readonly getRow: Database.Statement<[number], MemoryRow>;
  readonly getRows: Database.Statement<[string], MemoryRow>;
  readonly listAll: Database.Statement<[number, number], MemoryRow>;
  readonly listScope: Database.Statement<[string, number, number], MemoryRow>;
  readonly countAll: Database.Statement<[], { count: number }>;
  readonly countScope: Database.Statement<[string], { count: number }>;
  readonly scopes: Database.Statement<[], { scope: string; count: number }>;
  readonly bm25All: Database.Statement<[string, number], { id: number }>;
  readonly bm25Scope: Database.Statement<[string, string, number], { id: number }>;
  #vectors: VectorStatements | undefined;
  readonly #db: Database.Database;

  constructor(db: Database.Database) {
    this.#db = db;
    this.insertRow = db.prepare(
      'INSERT INTO memories (scope, text, metadata, created_at) VALUES (?, ?, ?, ?)',
    );
    this.insertText = db.prepare('INSERT INTO memory_fts (rowid, text) VALUES (?, ?)');
    this.deleteRow = db.prepare('DELETE FROM memories WHERE id = ?');
    this.deleteText = db.prepare('DELETE FROM memory_fts WHERE rowid = ?');
    this.getRow = db.prepare(`SELECT ${ROW_COLUMNS} FROM memories WHERE id = ?`);
    this.getRows = db.prepare(
      `SELECT ${ROW_COLUMNS} FROM memories WHERE id IN (SELECT value FROM json_each(?))`,
    );
    this.listAll = db.prepare(`SELECT ${ROW_COLUMNS} FROM memories ORDER BY id DESC LIMIT ? OFFSET ?`);
    this.listScope = db.prepare(
      `SELECT ${ROW_COLUMNS} FROM memories WHERE scope = ? ORDER BY id DESC LIMIT ? OFFSET ?`,
    );
    this.countAll = db.prepare('SELECT count(*) AS count FROM memories');
    this.countScope = db.prepare('SELECT count(*) AS count FROM memories WHERE scope = ?');
    this.scopes = db.prepare('SELECT scope, count(*) AS count FROM memories GROUP BY scope ORDER BY scope');
    // The scope filter sits inside the ranking: only rows of that scope compete for the LIMIT.
    this.bm25All = db.prepare(
      'SELECT rowid AS id FROM memory_fts WHERE memory_fts MATCH ? ORDER BY rank LIMIT ?',
    );
    this.bm25Scope = db.prepare(
      `SELECT f.rowid AS id FROM memory_fts AS f JOIN memories AS m ON m.id = f.rowid
       WHERE f.memory_fts MATCH ? AND m.scope = ? ORDER BY f.rank LIMIT ?`,
    );
  }

  /** The vector statements; only once the vec0 table exists (the dimension is known). */
  vectors(): VectorStatements {
    this.#vectors ??= new VectorStatements(this.#db);
    return this.#vectors;
  }
}

export class VectorStatements {
  readonly insert: Database.Statement<[bigint, string, Float32Array]>;
  readonly delete: Database.Statement<[bigint]>;
  readonly nearestAll: Database.Statement<[Float32Array, number], { id: number; distance: number | null }>;
  readonly nearestScope: Database.Statement<
    [Float32Array, number, string],
    { id: number; distance: number | null }
  >;

  constructor(db: Database.Database) {
    // vec0 wants its rowid bound as an integer; better-sqlite3 binds a bigint as one.
    this.insert = db.prepare('INSERT INTO memory_vectors (rowid, scope, embedding) VALUES (?, ?, ?)');
    this.delete = db.prepare('DELETE FROM memory_vectors WHERE rowid = ?');
    this.nearestAll = db.prepare(
      'SELECT rowid AS id, distance FROM memory_vectors WHERE embedding MATCH ? AND k = ? ORDER BY distance',
    );
    // `scope` is a vec0 metadata column: filtered during the KNN scan, so k rows of this scope come back.
    this.nearestScope = db.prepare(
      `SELECT rowid AS id, distance FROM memory_vectors
       WHERE embedding MATCH ? AND k = ? AND scope = ? ORDER BY distance`,
    );
  }
}
