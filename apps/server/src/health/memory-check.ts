import type { MemoryStore } from '@lunar/memory';

/** Whether the memory store answers, as readiness reports it. */
export interface MemoryHealth {
  /** `sqlite` or `postgres`. */
  engine: MemoryStore['engine'];
  /** `ready` when it answered a one-row read just now, `failing` when it did not. */
  state: 'ready' | 'failing';
  /** Why it is failing. */
  error?: string;
}

interface Checked {
  /** performance.now() when the check was sent. */
  sentAt: number;
  result: Promise<MemoryHealth>;
}

/**
 * Asks the memory store for its newest memory (one indexed row) within `timeoutMs`. Checks made
 * within `maxAgeMs` of the last one share its answer, so a flood of readiness checks costs one
 * read per `maxAgeMs`.
 */
export class MemoryCheck {
  readonly #store: MemoryStore;
  readonly #timeoutMs: number;
  readonly #maxAgeMs: number;
  #last: Checked | undefined;

  constructor(store: MemoryStore, options: { timeoutMs: number; maxAgeMs: number }) {
    this.#store = store;
    this.#timeoutMs = options.timeoutMs;
    this.#maxAgeMs = options.maxAgeMs;
  }

  check(): Promise<MemoryHealth> {
    const now = performance.now();
    if (this.#last !== undefined && now - this.#last.sentAt < this.#maxAgeMs) return this.#last.result;
    this.#last = { sentAt: now, result: this.#read() };
    return this.#last.result;
  }

  async #read(): Promise<MemoryHealth> {
    const engine = this.#store.engine;
    if (this.#store.closed) return { engine, state: 'failing', error: 'the memory store is closed' };
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(resolve, this.#timeoutMs, 'expired');
    });
    try {
      const answer = await Promise.race([this.#store.list({ limit: 1 }), expired]);
      if (answer === 'expired') {
        return { engine, state: 'failing', error: `no answer within ${this.#timeoutMs} ms` };
      }
      return { engine, state: 'ready' };
    } catch (error) {
      return { engine, state: 'failing', error: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
  }
}
