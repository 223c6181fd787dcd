import type { DraftRow, MemoryEngine, RankQuery } from '../engine.js';
import { describeError, MemoryError } from '../errors.js';
import { fuseRankings } from '../fusion.js';
import { candidateLimit } from '../limits.js';
import { formatMemoryId } from '../memory-id.js';
import type { Memory, MemorySearchResult, ScopeSummary } from '../types.js';
import { dimensionMismatch, isZeroVector } from '../vector.js';
import {
  createVectorTable,
  lockStore,
  readDimensions,
  type Tables,
  type VectorSearch,
} from './postgres-schema.js';
import type { SqlClient, SqlQueryable } from './sql-client.js';

interface MemoryRow {
  id: string | number;
  scope: string;
  text: string;
  metadata: Record<string, never> | null;
  created_at: string | number;
}

function toMemory(row: MemoryRow): Memory {
  return {
    id: formatMemoryId(Number(row.id)),
    text: row.text,
    scope: row.scope,
    metadata: row.metadata ?? {},
    createdAt: Number(row.created_at),
  };
}

/** A vector as pgvector's text form (`[1,2]`) or a `real[]` literal (`{1,2}`). */
function vectorLiteral(vector: Float32Array, vectorSearch: VectorSearch): string {
  const body = Array.prototype.join.call(vector, ',');
  return vectorSearch === 'pgvector' ? `[${body}]` : `{${body}}`;
}

/**
 * A `to_tsquery` expression from the query's words: each quoted as a lexeme (a word holds only
 * letters and digits, so quoting is safe) and joined with `|`, so `ts_rank` ranks rows matching
 * more of them first. `null` when there are none.
 */
function tsqueryText(terms: readonly string[]): string | null {
  return terms.length === 0 ? null : terms.map((term) => `'${term}'`).join(' | ');
}

export interface PostgresEngineOptions {
  client: SqlClient;
  tables: Tables;
  vectorSearch: VectorSearch;
  dimensions: number | undefined;
  /** This store's name in its NOTIFY messages, so it skips its own. */
  origin: string;
}

/**
 * The memory store's SQL on PostgreSQL: rows and a `tsvector` in `lunar_memories`, vectors in
 * `lunar_memory_vectors` (pgvector with an HNSW cosine index, or `real[]` scanned exactly). Every
 * write sends a NOTIFY with its scope inside its transaction, delivered to the other servers on
 * commit.
 */
export class PostgresEngine implements MemoryEngine {
  readonly #client: SqlClient;
  readonly #tables: Tables;
  readonly #vectorSearch: VectorSearch;
  readonly #origin: string;
  readonly #rankSql: { all: string; scoped: string };
  #dimensions: number | undefined;

  constructor(options: PostgresEngineOptions) {
    this.#client = options.client;
    this.#tables = options.tables;
    this.#vectorSearch = options.vectorSearch;
    this.#dimensions = options.dimensions;
    this.#origin = options.origin;
    this.#rankSql = { all: this.#rankStatement(false), scoped: this.#rankStatement(true) };
  }

  async readDimensions(): Promise<number | undefined> {
    this.#dimensions ??= await this.#guard('read', () => readDimensions(this.#client, this.#tables));
    return this.#dimensions;
  }

  async insert(rows: DraftRow[], vectors: Float32Array[], createdAt: number): Promise<number[]> {
    const { memories, vectors: vectorTable } = this.#tables;
    const length = vectors[0]!.length;
    const ids = await this.#guard('write', () =>
      this.#client.transaction(async (sql) => {
        await this.#fixDimensions(sql, length);
        const inserted = await sql.query<{ id: string | number }>(
          `INSERT INTO ${memories} (scope, text, metadata, created_at)
           SELECT u.scope, u.text, u.metadata::json, $4 FROM unnest($1::text[], $2::text[], $3::text[])
             WITH ORDINALITY AS u(scope, text, metadata, n) ORDER BY u.n
           RETURNING id`,
          [
            rows.map((row) => row.scope),
            rows.map((row) => row.text),
            rows.map((row) => row.metadataJson),
            createdAt,
          ],
        );
        // Identities are handed out in insertion order, which follows the ORDER BY.
        const ids = inserted.map((row) => Number(row.id)).sort((a, b) => a - b);
        // A zero vector has no direction: it is never ranked by meaning, so it is not stored.
        const kept = ids.flatMap((_id, index) => (isZeroVector(vectors[index]!) ? [] : [index]));
        if (kept.length > 0) {
          const type = this.#vectorSearch === 'pgvector' ? 'vector' : 'real[]';
          await sql.query(
            `INSERT INTO ${vectorTable} (id, scope, embedding)
             SELECT u.id, u.scope, u.embedding::${type} FROM unnest($1::bigint[], $2::text[], $3::text[]) AS u(id, scope, embedding)`,
            [
              kept.map((index) => ids[index]),
              kept.map((index) => rows[index]!.scope),
              kept.map((index) => vectorLiteral(vectors[index]!, this.#vectorSearch)),
            ],
          );
        }
        await this.#notify(sql, new Set(rows.map((row) => row.scope)));
        return ids;
      }),
    );
    this.#dimensions = length;
    return ids;
  }

  async rank(query: RankQuery): Promise<MemorySearchResult[]> {
    const { vector, scope, k } = query;
    const limit = candidateLimit(k);
    const skipVectors = isZeroVector(vector);
    const [ranked] = await this.#guard('read', () =>
      this.#client.query<{ text_ids: Array<string | number>; vector_ids: Array<string | number> }>(
        scope === undefined ? this.#rankSql.all : this.#rankSql.scoped,
        [
          tsqueryText(query.terms),
          skipVectors ? null : vectorLiteral(vector, this.#vectorSearch),
          limit,
          ...(scope === undefined ? [] : [scope]),
        ],
      ),
    );
    const fused = fuseRankings(
      (ranked?.text_ids ?? []).map(Number),
      (ranked?.vector_ids ?? []).map(Number),
    ).slice(0, k);
    if (fused.length === 0) return [];
    const rows = await this.#guard('read', () =>
      this.#client.query<MemoryRow>(
        `SELECT id, scope, text, metadata, created_at FROM ${this.#tables.memories} WHERE id = ANY($1::bigint[])`,
        [fused.map((entry) => entry.rowid)],
      ),
    );
    const byId = new Map(rows.map((row) => [Number(row.id), row]));
    return fused.flatMap(({ rowid, ...ranking }) => {
      const row = byId.get(rowid);
      return row === undefined ? [] : [{ ...toMemory(row), ...ranking }];
    });
  }

  async get(rowid: number): Promise<Memory | undefined> {
    const [row] = await this.#guard('read', () =>
      this.#client.query<MemoryRow>(
        `SELECT id, scope, text, metadata, created_at FROM ${this.#tables.memories} WHERE id = $1`,
        [rowid],
      ),
    );
    return row === undefined ? undefined : toMemory(row);
  }

  async list(scope: string | undefined, limit: number, offset: number): Promise<Memory[]> {
    const columns = `SELECT id, scope, text, metadata, created_at FROM ${this.#tables.memories}`;
    const rows = await this.#guard('read', () =>
      scope === undefined
        ? this.#client.query<MemoryRow>(`${columns} ORDER BY id DESC LIMIT $1 OFFSET $2`, [limit, offset])
        : this.#client.query<MemoryRow>(`${columns} WHERE scope = $3 ORDER BY id DESC LIMIT $1 OFFSET $2`, [
            limit,
            offset,
            scope,
          ]),
    );
    return rows.map(toMemory);
  }

  async count(scope: string | undefined): Promise<number> {
    const table = this.#tables.memories;
    const [row] = await this.#guard('read', () =>
      scope === undefined
        ? this.#client.query<{ count: string | number }>(`SELECT count(*) AS count FROM ${table}`)
        : this.#client.query<{ count: string | number }>(
            `SELECT count(*) AS count FROM ${table} WHERE scope = $1`,
            [scope],
          ),
    );
    return Number(row?.count ?? 0);
  }

  async remove(rowid: number): Promise<string | undefined> {
    return this.#guard('write', () =>
      this.#client.transaction(async (sql) => {
        // The vector row goes with it (ON DELETE CASCADE).
        const [row] = await sql.query<{ scope: string }>(
          `DELETE FROM ${this.#tables.memories} WHERE id = $1 RETURNING scope`,
          [rowid],
        );
        if (row !== undefined) await this.#notify(sql, [row.scope]);
        return row?.scope;
      }),
    );
  }

  async scopes(): Promise<ScopeSummary[]> {
    const rows = await this.#guard('read', () =>
      this.#client.query<{ scope: string; count: string | number }>(
        `SELECT scope, count(*) AS count FROM ${this.#tables.memories} GROUP BY scope ORDER BY scope`,
      ),
    );
    return rows.map((row) => ({ scope: row.scope, count: Number(row.count) }));
  }

  syncInvalidations(): Promise<void> {
    return this.#client.syncNotifications();
  }

  close(): Promise<void> {
    return this.#client.close();
  }

  /** The one statement of a search: both rankings' candidate ids, in one snapshot. */
  #rankStatement(scoped: boolean): string {
    const { memories, vectors } = this.#tables;
    const inScope = (alias: string) => (scoped ? ` AND ${alias}.scope = $4` : '');
    const indexed = this.#vectorSearch === 'pgvector';
    const distance = indexed
      ? 'v.embedding <=> $2::vector'
      : // Unit vectors: cosine distance is 1 minus the dot product, computed over every row.
        '1 - (SELECT sum(a * b) FROM unnest(v.embedding, $2::real[]) AS t(a, b))';
    // The HNSW index gives rows by distance alone; a second sort key would keep it from being used.
    const order = indexed ? 'distance' : 'distance, v.id';
    return `SELECT
      ARRAY(
        SELECT m.id FROM ${memories} AS m
        WHERE $1::text IS NOT NULL AND m.search @@ to_tsquery('english', $1)${inScope('m')}
        ORDER BY ts_rank(m.search, to_tsquery('english', $1)) DESC, m.id LIMIT $3
      ) AS text_ids,
      ARRAY(
        SELECT nearest.id FROM (
          SELECT v.id, ${distance} AS distance FROM ${vectors} AS v
          WHERE $2::text IS NOT NULL${inScope('v')}
          ORDER BY ${order} LIMIT $3
        ) AS nearest ORDER BY nearest.distance, nearest.id
      ) AS vector_ids`;
  }

  /** Inside a write: checks the vector length, fixing it (under the store's lock) on the first write. */
  async #fixDimensions(sql: SqlQueryable, length: number): Promise<void> {
    let stored = this.#dimensions;
    if (stored === undefined) {
      await lockStore(sql, this.#tables);
      stored = await readDimensions(sql, this.#tables);
      if (stored === undefined) {
        await createVectorTable(sql, this.#tables, this.#vectorSearch, length);
        return;
      }
    }
    if (stored !== length) throw dimensionMismatch(stored, length, 'the new memory embedding');
  }

  async #notify(sql: SqlQueryable, scopes: Iterable<string>): Promise<void> {
    for (const scope of scopes) {
      await sql.query('SELECT pg_notify($1, $2)', [
        this.#tables.channel,
        JSON.stringify({ scope, origin: this.#origin }),
      ]);
    }
  }

  /** Runs a call, turning a database error into a `MemoryError` that says what failed. */
  async #guard<T>(kind: 'read' | 'write', call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof MemoryError) throw error;
      const failure = kind === 'write' ? 'could not write (nothing was saved)' : 'could not read';
      throw new MemoryError('MEMORY_STORAGE_FAILED', `the memory store ${failure}: ${describeError(error)}`, {
        cause: error,
      });
    }
  }
}
