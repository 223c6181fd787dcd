import { Worker } from 'node:worker_threads';
import type { DraftRow, MemoryEngine, RankQuery } from '../engine.js';
import { MemoryError } from '../errors.js';
import type { Memory, MemorySearchResult, ScopeSummary } from '../types.js';
import type { SqliteDatabaseOptions } from './sqlite-database.js';
import { fromWireError, type WorkerMethod, type WorkerReply, type WorkerRequest } from './worker-protocol.js';

export interface SqliteThreadsOptions extends SqliteDatabaseOptions {
  /** Worker threads, each with its own connection; the first also does every write. */
  threads: number;
  /** Calls waiting for a thread at most; past it a call fails with `MEMORY_BUSY`. */
  maxQueue: number;
}

interface Job {
  request: WorkerRequest;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

interface Thread {
  worker: Worker;
  /** The call it is serving. */
  job: Job | undefined;
  ready: boolean;
}

/**
 * The worker is `sqlite-worker.js` beside this file once built. Run from the TypeScript sources (as
 * the tests do), this module uses the built worker in `dist/` (Node cannot load a `.ts` worker), so
 * build the package first, as `pnpm test` does.
 */
function workerFile(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts')
    ? new URL('../../dist/sqlite/sqlite-worker.js', here)
    : new URL('./sqlite-worker.js', here);
}

/**
 * The memory file served by worker threads, so a search (milliseconds of CPU over sqlite-vec and
 * FTS5) never holds the event loop. Each thread has its own connection; under WAL, readers see
 * every committed write and never wait for one. Every write goes to the first thread, one after
 * the other in call order, each committed (and fsynced) before it resolves; reads go to whichever
 * thread is free. Calls wait in two bounded queues (writes first on the first thread).
 */
export class SqliteThreads implements MemoryEngine {
  readonly #options: SqliteThreadsOptions;
  readonly #threads: Thread[] = [];
  readonly #writes: Job[] = [];
  readonly #reads: Job[] = [];
  #nextId = 1;
  #closing = false;

  private constructor(options: SqliteThreadsOptions) {
    this.#options = options;
  }

  /** Starts the threads: the first opens (and migrates) the file, then the others. */
  static async open(options: SqliteThreadsOptions): Promise<SqliteThreads> {
    const pool = new SqliteThreads(options);
    try {
      await pool.#spawn(0);
      await Promise.all(Array.from({ length: options.threads - 1 }, (_, index) => pool.#spawn(index + 1)));
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  /** Calls waiting for a thread, and calls being served. */
  get pending(): number {
    return this.#writes.length + this.#reads.length + this.#threads.filter((thread) => thread.job).length;
  }

  async readDimensions(): Promise<number | undefined> {
    return (await this.#call('read', 'readDimensions', [])) as number | undefined;
  }

  async insert(rows: DraftRow[], vectors: Float32Array[], createdAt: number): Promise<number[]> {
    return (await this.#call('write', 'insert', [rows, vectors, createdAt])) as number[];
  }

  async rank(query: RankQuery): Promise<MemorySearchResult[]> {
    return (await this.#call('read', 'rank', [query])) as MemorySearchResult[];
  }

  async get(rowid: number): Promise<Memory | undefined> {
    return (await this.#call('read', 'get', [rowid])) as Memory | undefined;
  }

  async list(scope: string | undefined, limit: number, offset: number): Promise<Memory[]> {
    return (await this.#call('read', 'list', [scope, limit, offset])) as Memory[];
  }

  async count(scope: string | undefined): Promise<number> {
    return (await this.#call('read', 'count', [scope])) as number;
  }

  async remove(rowid: number): Promise<string | undefined> {
    return (await this.#call('write', 'remove', [rowid])) as string | undefined;
  }

  /** Every write to this file invalidates as it commits: nothing is ever on its way. */
  async syncInvalidations(): Promise<void> {}

  async scopes(): Promise<ScopeSummary[]> {
    return (await this.#call('read', 'scopes', [])) as ScopeSummary[];
  }

  /** Fails the calls still waiting, lets the ones being served finish, then closes every connection. */
  async close(): Promise<void> {
    this.#closing = true;
    const closed = new MemoryError('MEMORY_CLOSED', 'the memory store is closed');
    for (const job of [...this.#writes.splice(0), ...this.#reads.splice(0)]) job.reject(closed);
    await Promise.all(
      this.#threads.map(async (thread) => {
        const exited = new Promise((resolve) => thread.worker.once('exit', resolve));
        if (thread.ready) {
          // Queued behind the call being served, if any: the connection closes after it.
          const request: WorkerRequest = { id: this.#nextId++, method: 'close', args: [] };
          thread.worker.postMessage(request);
        } else {
          await thread.worker.terminate();
        }
        await exited;
      }),
    );
  }

  #call(kind: 'read' | 'write', method: WorkerMethod, args: unknown[]): Promise<unknown> {
    if (this.#closing) return Promise.reject(new MemoryError('MEMORY_CLOSED', 'the memory store is closed'));
    if (this.#writes.length + this.#reads.length >= this.#options.maxQueue) {
      return Promise.reject(
        new MemoryError(
          'MEMORY_BUSY',
          `${this.#options.maxQueue} memory calls are already waiting for a thread; try again shortly`,
        ),
      );
    }
    return new Promise((resolve, reject) => {
      const job: Job = { request: { id: this.#nextId++, method, args }, resolve, reject };
      (kind === 'write' ? this.#writes : this.#reads).push(job);
      this.#dispatch();
    });
  }

  /** Gives each idle thread its next call: the first thread takes writes first. */
  #dispatch(): void {
    for (const [index, thread] of this.#threads.entries()) {
      if (!thread.ready || thread.job !== undefined) continue;
      const job = (index === 0 ? this.#writes.shift() : undefined) ?? this.#reads.shift();
      if (job === undefined) continue;
      thread.job = job;
      thread.worker.postMessage(job.request);
    }
  }

  /** Starts thread `index`, resolving once its connection is open (or rejecting with why not). */
  #spawn(index: number): Promise<void> {
    const worker = new Worker(workerFile(), {
      workerData: {
        path: this.#options.path,
        busyTimeoutMs: this.#options.busyTimeoutMs,
        dimensions: this.#options.dimensions,
      } satisfies SqliteDatabaseOptions,
    });
    const thread: Thread = { worker, job: undefined, ready: false };
    this.#threads[index] = thread;
    return new Promise((resolve, reject) => {
      worker.on('message', (reply: WorkerReply) => {
        if (reply.id === 0) {
          if ('error' in reply) return reject(fromWireError(reply.error));
          thread.ready = true;
          resolve();
          this.#dispatch();
          return;
        }
        const job = thread.job;
        if (job === undefined || job.request.id !== reply.id) return; // the answer to `close`
        thread.job = undefined;
        if ('error' in reply) job.reject(fromWireError(reply.error));
        else job.resolve(reply.result);
        this.#dispatch();
      });
      worker.on('error', (error) => this.#lost(index, thread, error, reject));
      worker.on('exit', (code) =>
        this.#lost(index, thread, new Error(`the memory thread exited with code ${code}`), reject),
      );
    });
  }

  /** A thread died (a crash, not a close): fail its call and start another in its place. */
  #lost(index: number, thread: Thread, error: Error, rejectOpen: (error: unknown) => void): void {
    if (this.#threads[index] !== thread) return;
    const failure = new MemoryError('MEMORY_STORAGE_FAILED', `the memory thread failed: ${error.message}`, {
      cause: error,
    });
    rejectOpen(failure);
    thread.job?.reject(failure);
    thread.job = undefined;
    if (this.#closing || !thread.ready) return;
    thread.ready = false;
    this.#spawn(index).catch((reason: unknown) => {
      for (const job of [...this.#writes.splice(0), ...this.#reads.splice(0)]) job.reject(reason);
    });
  }
}
