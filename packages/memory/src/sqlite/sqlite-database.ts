import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import type { DraftRow, RankQuery } from '../engine.js';
import { describeError, MemoryError } from '../errors.js';
import type { Memory, MemorySearchResult, ScopeSummary } from '../types.js';
import { dimensionMismatch } from '../vector.js';
import { rankMemories } from './hybrid-rank.js';
import { configureConnection, createVectorTable, migrate, readDimensions } from './schema.js';
import { MemoryStatements, toMemory } from './statements.js';

export interface SqliteDatabaseOptions {
  path: string;
  busyTimeoutMs: number;
  /** The dimension to fix (or check) at open. */
  dimensions: number | undefined;
}

/**
 * One connection to a memory file, synchronous: rows in `memories`, BM25 over FTS5, cosine KNN over
 * sqlite-vec. Every call is one transaction. Used on the calling thread, or inside a worker thread
 * (see `SqliteThreads`), which then owns its own connection.
 */
export class SqliteDatabase {
  readonly #db: Database.Database;
  readonly #statements: MemoryStatements;
  #dimensions: number | undefined;

  /** Opens (creating or upgrading) the file; fixes or checks `dimensions`. */
  constructor(options: SqliteDatabaseOptions) {
    let db: Database.Database;
    try {
      db = new Database(options.path);
    } catch (error) {
      throw new MemoryError(
        'MEMORY_OPEN_FAILED',
        `cannot open the memory store at ${options.path}: ${describeError(error)}`,
        { cause: error },
      );
    }
    try {
      sqliteVec.load(db);
      configureConnection(db, options.busyTimeoutMs);
      migrate(db);
      const wanted = options.dimensions;
      const dimensions = db
        .transaction(() => {
          const stored = readDimensions(db);
          if (stored === undefined && wanted !== undefined) createVectorTable(db, wanted);
          return stored ?? wanted;
        })
        .immediate();
      if (wanted !== undefined && dimensions !== wanted) {
        throw dimensionMismatch(dimensions!, wanted, 'options.dimensions');
      }
      this.#db = db;
      this.#statements = new MemoryStatements(db);
      this.#dimensions = dimensions;
    } catch (error) {
      db.close();
      if (error instanceof MemoryError) throw error;
      throw new MemoryError(
        'MEMORY_OPEN_FAILED',
        `cannot prepare the memory store at ${options.path}: ${describeError(error)}`,
        { cause: error },
      );
    }
  }

  readDimensions(): number | undefined {
    this.#dimensions ??= this.#read(() => readDimensions(this.#db));
    return this.#dimensions;
  }

  insert(rows: DraftRow[], vectors: Float32Array[], createdAt: number): number[] {
    const statements = this.#statements;
    const rowids = this.#write(() => {
      const length = vectors[0]!.length;
      const stored = this.#dimensions ?? readDimensions(this.#db);
      if (stored === undefined) createVectorTable(this.#db, length);
      else if (stored !== length) throw dimensionMismatch(stored, length, 'the new memory embedding');
      return rows.map((row, index) => {
        const rowid = statements.insertRow.run(
          row.scope,
          row.text,
          row.metadataJson,
          createdAt,
        ).lastInsertRowid;
        statements.insertText.run(rowid, row.text);
        statements.vectors().insert.run(BigInt(rowid), row.scope, vectors[index]!);
        return Number(rowid);
      });
    });
    this.#dimensions = vectors[0]!.length;
    return rowids;
  }

  rank(query: RankQuery): MemorySearchResult[] {
    return this.#read(() => rankMemories(this.#statements, query));
  }

  get(rowid: number): Memory | undefined {
    const row = this.#read(() => this.#statements.getRow.get(rowid));
    return row === undefined ? undefined : toMemory(row);
  }

  list(scope: string | undefined, limit: number, offset: number): Memory[] {
    const rows = this.#read(() =>
      scope === undefined
        ? this.#statements.listAll.all(limit, offset)
        : this.#statements.listScope.all(scope, limit, offset),
    );
    return rows.map(toMemory);
  }

  count(scope: string | undefined): number {
    const row = this.#read(() =>
      scope === undefined ? this.#statements.countAll.get() : this.#statements.countScope.get(scope),
    );
    return row?.count ?? 0;
  }

  remove(rowid: number): string | undefined {
    const statements = this.#statements;
    return this.#write(() => {
      const row = statements.getRow.get(rowid);
      if (row === undefined) return undefined;
      statements.deleteRow.run(rowid);
      statements.deleteText.run(rowid);
      statements.vectors().delete.run(BigInt(rowid));
      return row.scope;
    });
  }

  scopes(): ScopeSummary[] {
    return this.#read(() => this.#statements.scopes.all());
  }

  close(): void {
    this.#db.close();
  }

  /** One write transaction, taking the write lock at BEGIN (IMMEDIATE) so it never fails half-way on a lock. */
  #write<T>(body: () => T): T {
    return this.#transaction(body, 'write', 'could not write (nothing was saved)');
  }

  /** One read transaction, so a search sees one snapshot of the file. */
  #read<T>(body: () => T): T {
    return this.#transaction(body, 'read', 'could not read');
  }

  #transaction<T>(body: () => T, kind: 'read' | 'write', failure: string): T {
    try {
      const run = this.#db.transaction(body);
      return kind === 'write' ? run.immediate() : run.deferred();
    } catch (error) {
      if (error instanceof MemoryError) throw error;
      throw new MemoryError('MEMORY_STORAGE_FAILED', `the memory store ${failure}: ${describeError(error)}`, {
        cause: error,
      });
    }
  }
}
