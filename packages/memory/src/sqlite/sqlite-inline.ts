import type { DraftRow, MemoryEngine, RankQuery } from '../engine.js';
import type { Memory, MemorySearchResult, ScopeSummary } from '../types.js';
import type { SqliteDatabase } from './sqlite-database.js';

/** The memory file on the calling thread: each call runs at once, synchronously, inside its promise. */
export class SqliteInline implements MemoryEngine {
  readonly #database: SqliteDatabase;

  constructor(database: SqliteDatabase) {
    this.#database = database;
  }

  async readDimensions(): Promise<number | undefined> {
    return this.#database.readDimensions();
  }

  async insert(rows: DraftRow[], vectors: Float32Array[], createdAt: number): Promise<number[]> {
    return this.#database.insert(rows, vectors, createdAt);
  }

  async rank(query: RankQuery): Promise<MemorySearchResult[]> {
    return this.#database.rank(query);
  }

  async get(rowid: number): Promise<Memory | undefined> {
    return this.#database.get(rowid);
  }

  async list(scope: string | undefined, limit: number, offset: number): Promise<Memory[]> {
    return this.#database.list(scope, limit, offset);
  }

  async count(scope: string | undefined): Promise<number> {
    return this.#database.count(scope);
  }

  async remove(rowid: number): Promise<string | undefined> {
    return this.#database.remove(rowid);
  }

  /** Every write to this file invalidates as it commits: nothing is ever on its way. */
  async syncInvalidations(): Promise<void> {}

  async scopes(): Promise<ScopeSummary[]> {
    return this.#database.scopes();
  }

  async close(): Promise<void> {
    this.#database.close();
  }
}
