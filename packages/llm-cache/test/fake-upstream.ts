import type { LLMChunk } from '../src/index.js';

/** Streamed chat chunks for `parts`, then a final `done` chunk, the way Ollama sends them. */
export function chatChunks(parts: string[], model = 'llama3.2:3b'): LLMChunk[] {
  const chunks: LLMChunk[] = parts.map((content, index) => ({
    model,
    created_at: `2025-01-01T00:00:0${index % 10}.000Z`,
    message: { role: 'assistant', content },
    done: false,
  }));
  chunks.push({
    model,
    created_at: '2025-01-01T00:00:09.000Z',
    message: { role: 'assistant', content: '' },
    done: true,
    done_reason: 'stop',
    total_duration: 123_000_000,
    eval_count: parts.length,
  } as LLMChunk);
  return chunks;
}

/**
 * An upstream whose chunks the test releases one by one (`release(n)`) or all at once. Counts
 * calls and pulls, and records each call's signal so a test can see what was aborted.
 */
export class ManualUpstream {
  calls = 0;
  pulled = 0;
  readonly signals: AbortSignal[] = [];
  #released = 0;
  #waiters: Array<() => void> = [];
  #failure: { afterChunks: number; error: unknown } | undefined;
  readonly #chunks: readonly LLMChunk[];

  constructor(chunks: readonly LLMChunk[]) {
    this.#chunks = chunks;
  }

  /** Lets `count` more chunks through (all remaining when omitted). */
  release(count = Number.POSITIVE_INFINITY): void {
    this.#released = Math.min(this.#chunks.length, this.#released + count);
    for (const wake of this.#waiters.splice(0)) wake();
  }

  /** Throws `error` once `afterChunks` chunks have been yielded. */
  failAfter(afterChunks: number, error: unknown): void {
    this.#failure = { afterChunks, error };
    for (const wake of this.#waiters.splice(0)) wake();
  }

  get aborted(): number {
    return this.signals.filter((signal) => signal.aborted).length;
  }

  readonly start = (signal: AbortSignal): AsyncIterable<LLMChunk> => {
    this.calls++;
    this.signals.push(signal);
    return this.#run(signal);
  };

  async *#run(signal: AbortSignal): AsyncGenerator<LLMChunk> {
    for (let index = 0; index < this.#chunks.length; index++) {
      while (index >= this.#released && !this.#failsAt(index)) {
        signal.throwIfAborted();
        await new Promise<void>((resolve) => {
          this.#waiters.push(resolve);
          signal.addEventListener('abort', () => resolve(), { once: true });
        });
      }
      signal.throwIfAborted();
      if (this.#failsAt(index)) throw this.#failure?.error;
      this.pulled++;
      yield this.#chunks[index] as LLMChunk;
    }
  }

  #failsAt(index: number): boolean {
    return this.#failure !== undefined && index >= this.#failure.afterChunks;
  }
}

/** An upstream that yields `chunks` at once, counting its calls. */
export function instantUpstream(chunks: readonly LLMChunk[]) {
  const upstream = {
    calls: 0,
    start: async function* (_signal: AbortSignal): AsyncGenerator<LLMChunk> {
      upstream.calls++;
      yield* chunks.map((chunk) => structuredClone(chunk));
    },
  };
  return upstream;
}

export async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of stream) out.push(item);
  return out;
}

/** Lets pending promise callbacks run. */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
