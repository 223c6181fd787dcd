import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { describeError, MemoryStoreError } from './errors.js';
import { buildFtsQuery } from './fts-query.js';
import { rankMemories } from './hybrid-rank.js';
import { MAX_BATCH, MAX_K, MAX_LIST_LIMIT } from './limits.js';
import { formatMemoryId, parseMemoryId } from './memory-id.js';
import { MemoryStatements, toMemory } from './memory-statements.js';
import { configureConnection, createVectorTable, migrate, readDimensions } from './schema.js';
import { type ResolvedStoreOptions, resolveStoreOptions } from './store-options.js';
import type {
  AddMemoryOptions,
  Embedder,
  ListMemoryOptions,
  Memory,
  MemorySearchResult,
  MemoryStoreOptions,
  NewMemory,
  SearchMemoryOptions,
} from './types.js';
import {
  parseMetadata,
  serializeMetadata,
  validateInteger,
  validateOptionsObject,
  validateScope,
  validateText,
} from './validate.js';
import { dimensionMismatch, toUnitVectors } from './vector.js';

/** The scope of a memory added without one. */
export const DEFAULT_SCOPE = 'default';

interface Draft {
  text: string;
  scope: string;
  metadataJson: string | null;
}

function toDraft(text: unknown, item: Partial<NewMemory>, textLabel: string, label: string): Draft {
  return {
    text: validateText(text, textLabel),
    scope: item.scope === undefined ? DEFAULT_SCOPE : validateScope(item.scope, `${label}.scope`),
    metadataJson: serializeMetadata(item.metadata, `${label}.metadata`),
  };
}

/**
 * Durable agent memory in one SQLite file: rows in `memories`, BM25 over FTS5, cosine KNN over
 * sqlite-vec, fused by reciprocal rank. Writes embed first, then commit rows, text index and
 * vector in one transaction, then invalidate the memory-search cache for the written scope.
 */
export class MemoryStore {
  readonly path: string;
  readonly #db: Database.Database;
  readonly #statements: MemoryStatements;
  readonly #options: ResolvedStoreOptions;
  #dimensions: number | undefined;
  #closed = false;

  private constructor(options: ResolvedStoreOptions, db: Database.Database, dimensions: number | undefined) {
    this.path = options.path;
    this.#options = options;
    this.#db = db;
    this.#statements = new MemoryStatements(db);
    this.#dimensions = dimensions;
  }

  /** Opens (creating or upgrading) the store at `options.path`. */
  static open(options: MemoryStoreOptions): MemoryStore {
    const resolved = resolveStoreOptions(options);
    let db: Database.Database;
    try {
      db = new Database(resolved.path);
    } catch (error) {
      throw new MemoryStoreError(
        'MEMORY_OPEN_FAILED',
        `cannot open the memory store at ${resolved.path}: ${describeError(error)}`,
        { cause: error },
      );
    }
    try {
      sqliteVec.load(db);
      configureConnection(db, resolved.busyTimeoutMs);
      migrate(db);
      const wanted = resolved.dimensions;
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
      return new MemoryStore(resolved, db, dimensions);
    } catch (error) {
      db.close();
      if (error instanceof MemoryStoreError) throw error;
      throw new MemoryStoreError(
        'MEMORY_OPEN_FAILED',
        `cannot prepare the memory store at ${resolved.path}: ${describeError(error)}`,
        { cause: error },
      );
    }
  }

  /** The vector length of this store, once fixed (by the option or the first memory). */
  get dimensions(): number | undefined {
    return this.#dimensions;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Embeds and stores one memory; resolves once it is committed to disk. */
  async add(text: string, options?: AddMemoryOptions): Promise<Memory> {
    this.#assertOpen();
    const item = validateOptionsObject(options, 'options');
    const [memory] = await this.#insert([toDraft(text, item, 'text', 'options')], item.signal);
    return memory!;
  }

  /** Stores up to 1000 memories with one embedder call and one transaction: all or none. */
  async addMany(
    items: readonly NewMemory[],
    options?: { signal?: AbortSignal; embedder?: Embedder },
  ): Promise<Memory[]> {
    this.#assertOpen();
    if (!Array.isArray(items) || items.length === 0 || items.length > MAX_BATCH) {
      throw new MemoryStoreError(
        'MEMORY_INVALID_INPUT',
        `items must be an array of 1 to ${MAX_BATCH} memories`,
      );
    }
    const drafts = items.map((item: NewMemory, index) => {
      const label = `items[${index}]`;
      return toDraft(validateOptionsObject(item, label).text, item, `${label}.text`, label);
    });
    const { signal, embedder } = validateOptionsObject(options, 'options');
    checkEmbedder(embedder);
    return this.#insert(drafts, signal, embedder);
  }

  /** Hybrid search: BM25 and vector rankings, each filtered to `scope`, fused by reciprocal rank. */
  async search(query: string, options?: SearchMemoryOptions): Promise<MemorySearchResult[]> {
    this.#assertOpen();
    const text = validateText(query, 'query');
    const { k: rawK, scope: rawScope, signal, embedder } = validateOptionsObject(options, 'options');
    checkEmbedder(embedder);
    const k = validateInteger(rawK, 'options.k', { min: 1, max: MAX_K, fallback: 5 });
    const scope = rawScope === undefined ? undefined : validateScope(rawScope, 'options.scope');
    signal?.throwIfAborted();
    this.#dimensions ??= readDimensions(this.#db);
    if (this.#dimensions === undefined) return []; // nothing was ever stored
    const [vector] = await this.#embed([text], signal, 'the query embedding', embedder);
    this.#assertOpen();
    signal?.throwIfAborted();
    const ranking = { ftsQuery: buildFtsQuery(text), vector: vector!, scope, k };
    return this.#read(() => rankMemories(this.#statements, ranking));
  }

  /** The memory with this id, or `undefined` when there is none (a malformed id throws). */
  get(id: string): Memory | undefined {
    this.#assertOpen();
    const row = this.#read(() => this.#statements.getRow.get(parseMemoryId(id)));
    return row === undefined ? undefined : toMemory(row);
  }

  /** Deletes a memory; `false` when the id is unknown. Invalidates its scope after the commit. */
  delete(id: string): boolean {
    this.#assertOpen();
    const rowid = parseMemoryId(id);
    const statements = this.#statements;
    const scope = this.#write(() => {
      const row = statements.getRow.get(rowid);
      if (row === undefined) return undefined;
      statements.deleteRow.run(rowid);
      statements.deleteText.run(rowid);
      statements.vectors().delete.run(BigInt(rowid));
      return row.scope;
    });
    if (scope === undefined) return false;
    this.#invalidate([scope]);
    return true;
  }

  /** Memories newest first, optionally of one scope. */
  list(options?: ListMemoryOptions): Memory[] {
    this.#assertOpen();
    const { scope, limit: rawLimit, offset: rawOffset } = validateOptionsObject(options, 'options');
    const limit = validateInteger(rawLimit, 'options.limit', { min: 1, max: MAX_LIST_LIMIT, fallback: 50 });
    const offset = validateInteger(rawOffset, 'options.offset', {
      min: 0,
      max: Number.MAX_SAFE_INTEGER,
      fallback: 0,
    });
    const rows = this.#read(() =>
      scope === undefined
        ? this.#statements.listAll.all(limit, offset)
        : this.#statements.listScope.all(validateScope(scope, 'options.scope'), limit, offset),
    );
    return rows.map(toMemory);
  }

  /** How many memories, in one scope or in all. */
  count(scope?: string): number {
    this.#assertOpen();
    const row = this.#read(() =>
      scope === undefined
        ? this.#statements.countAll.get()
        : this.#statements.countScope.get(validateScope(scope, 'scope')),
    );
    return row?.count ?? 0;
  }

  /** Closes the file. Idempotent; any later call, or an add still embedding, fails with MEMORY_CLOSED. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }

  async #insert(drafts: Draft[], signal: AbortSignal | undefined, embedder?: Embedder): Promise<Memory[]> {
    signal?.throwIfAborted();
    const vectors = await this.#embed(
      drafts.map((draft) => draft.text),
      signal,
      'the new memory embedding',
      embedder,
    );
    // Past this point the write is not abortable: once it commits, it is acknowledged.
    this.#assertOpen();
    signal?.throwIfAborted();
    const createdAt = Math.round(this.#options.now());
    const statements = this.#statements;
    const rowids = this.#write(() => {
      this.#fixDimensions(vectors[0]!.length);
      return drafts.map((draft, index) => {
        const rowid = statements.insertRow.run(
          draft.scope,
          draft.text,
          draft.metadataJson,
          createdAt,
        ).lastInsertRowid;
        statements.insertText.run(rowid, draft.text);
        statements.vectors().insert.run(BigInt(rowid), draft.scope, vectors[index]!);
        return Number(rowid);
      });
    });
    this.#dimensions = vectors[0]!.length;
    this.#invalidate(new Set(drafts.map((draft) => draft.scope)));
    return drafts.map((draft, index) => ({
      id: formatMemoryId(rowids[index]!),
      text: draft.text,
      scope: draft.scope,
      metadata: parseMetadata(draft.metadataJson),
      createdAt,
    }));
  }

  /** Inside a write transaction: check the vector length, fixing it on the very first write. */
  #fixDimensions(length: number): void {
    const stored = this.#dimensions ?? readDimensions(this.#db);
    if (stored === undefined) createVectorTable(this.#db, length);
    else if (stored !== length) throw dimensionMismatch(stored, length, 'the new memory embedding');
  }

  async #embed(
    texts: string[],
    signal: AbortSignal | undefined,
    what: string,
    embedder: Embedder = this.#options.embedder,
  ): Promise<Float32Array[]> {
    let raw: unknown;
    try {
      raw = await embedder.embed(texts, signal === undefined ? {} : { signal });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw new MemoryStoreError('MEMORY_EMBED_FAILED', `the embedder failed: ${describeError(error)}`, {
        cause: error,
      });
    }
    const vectors = toUnitVectors(raw, texts.length);
    const length = vectors[0]!.length;
    if (this.#dimensions !== undefined && length !== this.#dimensions) {
      throw dimensionMismatch(this.#dimensions, length, what);
    }
    return vectors;
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
      if (error instanceof MemoryStoreError) throw error;
      throw new MemoryStoreError(
        'MEMORY_STORAGE_FAILED',
        `the memory store ${failure}: ${describeError(error)}`,
        {
          cause: error,
        },
      );
    }
  }

  #invalidate(scopes: Iterable<string>): void {
    const cache = this.#options.cache;
    if (cache === undefined) return;
    let failure: { scope: string; error: unknown } | undefined;
    for (const scope of scopes) {
      try {
        cache.invalidate(scope);
      } catch (error) {
        failure ??= { scope, error };
      }
    }
    if (failure !== undefined) {
      throw new MemoryStoreError(
        'MEMORY_INVALIDATE_FAILED',
        `the write was saved, but invalidating the memory-search cache for scope "${failure.scope}" threw: ${describeError(failure.error)}`,
        { cause: failure.error },
      );
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new MemoryStoreError('MEMORY_CLOSED', 'the memory store is closed');
  }
}

function checkEmbedder(embedder: Embedder | undefined): void {
  if (embedder !== undefined && typeof embedder?.embed !== 'function') {
    throw new TypeError(`options.embedder must have an embed() method, got ${String(embedder)}`);
  }
}
