import type { DraftRow, MemoryEngine } from './engine.js';
import { describeError, MemoryError } from './errors.js';
import { MAX_BATCH, MAX_K, MAX_LIST_LIMIT } from './limits.js';
import { formatMemoryId, parseMemoryId } from './memory-id.js';
import { queryTerms } from './query-terms.js';
import type { ResolvedCommonOptions } from './store-options.js';
import type {
  AddManyOptions,
  AddMemoryOptions,
  Embedder,
  ListMemoryOptions,
  Memory,
  MemoryEngineName,
  MemorySearchResult,
  MemoryStore,
  NewMemory,
  ScopeSummary,
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

const ADD_KEYS = ['scope', 'metadata', 'signal'] as const;
const ITEM_KEYS = ['text', 'scope', 'metadata'] as const;
const ADD_MANY_KEYS = ['signal', 'embedder'] as const;
const SEARCH_KEYS = ['k', 'scope', 'signal', 'embedder'] as const;
const LIST_KEYS = ['scope', 'limit', 'offset'] as const;

function toDraft(text: unknown, item: Partial<NewMemory>, textLabel: string, label: string): DraftRow {
  return {
    text: validateText(text, textLabel),
    scope: item.scope === undefined ? DEFAULT_SCOPE : validateScope(item.scope, `${label}.scope`),
    metadataJson: serializeMetadata(item.metadata, `${label}.metadata`),
  };
}

function checkEmbedder(embedder: Embedder | undefined): void {
  if (embedder !== undefined && typeof embedder?.embed !== 'function') {
    throw new TypeError(`options.embedder must have an embed() method, got ${String(embedder)}`);
  }
}

export interface EngineStoreInit {
  engine: MemoryEngineName;
  options: ResolvedCommonOptions;
  /** The engine, once its database is open; a rejection is why it cannot be. */
  database: Promise<MemoryEngine>;
  /** The dimension already known at construction, if any. */
  dimensions?: number | undefined;
}

/**
 * What every memory store does the same whatever holds the rows: check the input, embed it (a write
 * embeds before it opens a transaction, so no lock waits on a model), hand the SQL to the engine,
 * then invalidate the memory-search cache for the written scopes once the write has committed.
 */
export class EngineStore implements MemoryStore {
  readonly engine: MemoryEngineName;
  readonly ready: Promise<void>;
  readonly #options: ResolvedCommonOptions;
  readonly #database: Promise<MemoryEngine>;
  #dimensions: number | undefined;
  #closed = false;
  #closing: Promise<void> | undefined;

  protected constructor(init: EngineStoreInit) {
    const { engine, options, database, dimensions } = init;
    this.engine = engine;
    this.#options = options;
    this.#database = database;
    this.#dimensions = dimensions ?? options.dimensions;
    this.ready = database.then(async (opened) => {
      this.#dimensions ??= await opened.readDimensions();
    });
    // Whoever awaits `ready` (or calls a method) sees the failure; an unawaited one is not a crash.
    this.ready.catch(() => {});
  }

  get dimensions(): number | undefined {
    return this.#dimensions;
  }

  get closed(): boolean {
    return this.#closed;
  }

  async add(text: string, options?: AddMemoryOptions): Promise<Memory> {
    this.#assertOpen();
    const item = validateOptionsObject(options, 'options', ADD_KEYS);
    const [memory] = await this.#insert([toDraft(text, item, 'text', 'options')], item.signal);
    return memory!;
  }

  async addMany(items: readonly NewMemory[], options?: AddManyOptions): Promise<Memory[]> {
    this.#assertOpen();
    if (!Array.isArray(items) || items.length === 0 || items.length > MAX_BATCH) {
      throw new MemoryError('MEMORY_INVALID_INPUT', `items must be an array of 1 to ${MAX_BATCH} memories`);
    }
    const drafts = items.map((item: NewMemory, index) => {
      const label = `items[${index}]`;
      return toDraft(validateOptionsObject(item, label, ITEM_KEYS).text, item, `${label}.text`, label);
    });
    const { signal, embedder } = validateOptionsObject(options, 'options', ADD_MANY_KEYS);
    checkEmbedder(embedder);
    return this.#insert(drafts, signal, embedder);
  }

  async search(query: string, options?: SearchMemoryOptions): Promise<MemorySearchResult[]> {
    this.#assertOpen();
    const text = validateText(query, 'query');
    const {
      k: rawK,
      scope: rawScope,
      signal,
      embedder,
    } = validateOptionsObject(options, 'options', SEARCH_KEYS);
    checkEmbedder(embedder);
    const k = validateInteger(rawK, 'options.k', { min: 1, max: MAX_K, fallback: 5 });
    const scope = rawScope === undefined ? undefined : validateScope(rawScope, 'options.scope');
    const database = await this.#open();
    signal?.throwIfAborted();
    // Another connection (or server) may have stored the first memory since.
    this.#dimensions ??= await database.readDimensions();
    if (this.#dimensions === undefined) return []; // nothing was ever stored
    const [vector] = await this.#embed([text], signal, 'the query embedding', embedder);
    this.#assertOpen();
    signal?.throwIfAborted();
    return database.rank({ terms: queryTerms(text), vector: vector!, scope, k });
  }

  async get(id: string): Promise<Memory | undefined> {
    this.#assertOpen();
    const rowid = parseMemoryId(id);
    return (await this.#open()).get(rowid);
  }

  async delete(id: string): Promise<boolean> {
    this.#assertOpen();
    const rowid = parseMemoryId(id);
    const scope = await (await this.#open()).remove(rowid);
    if (scope === undefined) return false;
    this.#invalidate([scope]);
    return true;
  }

  async list(options?: ListMemoryOptions): Promise<Memory[]> {
    this.#assertOpen();
    const {
      scope,
      limit: rawLimit,
      offset: rawOffset,
    } = validateOptionsObject(options, 'options', LIST_KEYS);
    const limit = validateInteger(rawLimit, 'options.limit', { min: 1, max: MAX_LIST_LIMIT, fallback: 50 });
    const offset = validateInteger(rawOffset, 'options.offset', {
      min: 0,
      max: Number.MAX_SAFE_INTEGER,
      fallback: 0,
    });
    const only = scope === undefined ? undefined : validateScope(scope, 'options.scope');
    return (await this.#open()).list(only, limit, offset);
  }

  async count(scope?: string): Promise<number> {
    this.#assertOpen();
    const only = scope === undefined ? undefined : validateScope(scope, 'scope');
    return (await this.#open()).count(only);
  }

  async syncInvalidations(): Promise<void> {
    this.#assertOpen();
    await (await this.#open()).syncInvalidations();
  }

  async scopes(): Promise<ScopeSummary[]> {
    this.#assertOpen();
    return (await this.#open()).scopes();
  }

  close(): Promise<void> {
    this.#closed = true;
    this.#closing ??= this.#database.then(
      (database) => database.close(),
      () => {},
    );
    return this.#closing;
  }

  async #open(): Promise<MemoryEngine> {
    const database = await this.#database;
    this.#assertOpen();
    return database;
  }

  async #insert(drafts: DraftRow[], signal: AbortSignal | undefined, embedder?: Embedder): Promise<Memory[]> {
    const database = await this.#open();
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
    const rowids = await database.insert(drafts, vectors, createdAt);
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
      throw new MemoryError('MEMORY_EMBED_FAILED', `the embedder failed: ${describeError(error)}`, {
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
      throw new MemoryError(
        'MEMORY_INVALIDATE_FAILED',
        `the write was saved, but invalidating the memory-search cache for scope "${failure.scope}" threw: ${describeError(failure.error)}`,
        { cause: failure.error },
      );
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new MemoryError('MEMORY_CLOSED', 'the memory store is closed');
  }
}
