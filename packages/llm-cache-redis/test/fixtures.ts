import type { CacheEntry, LLMChunk } from '@lunar/llm-cache';
import { expect } from 'vitest';

/** A stored streamed chat answer of `words` chunks plus the final one, as LLMCache records it. */
export function streamedEntry(text: string, words = 3): CacheEntry {
  const chunks: LLMChunk[] = [];
  for (let index = 0; index < words; index++) {
    chunks.push({
      model: 'llama3.2:3b',
      created_at: '2025-01-01T00:00:00.000Z',
      message: { role: 'assistant', content: `${text} ${index}` },
      done: false,
    });
  }
  chunks.push({
    model: 'llama3.2:3b',
    created_at: '2025-01-01T00:00:01.000Z',
    message: { role: 'assistant', content: '' },
    done: true,
    done_reason: 'stop',
  } as LLMChunk);
  return {
    version: 1,
    route: 'chat',
    chunks,
    streamed: true,
    timings: chunks.map((_chunk, index) => index * 5),
    durationMs: 42,
    createdAt: Date.now(),
    size: 200 * chunks.length,
  };
}

/** A deterministic chat request, distinct per `id`. */
export function chatRequest(id: string | number) {
  return {
    model: 'llama3.2:3b',
    messages: [{ role: 'user', content: `Why is the sky blue? (${id})` }],
    options: { temperature: 0 },
  };
}

/** A whole chat response, as `getOrCompute` would store it. */
export function chatResponse(content: string): LLMChunk {
  return {
    model: 'llama3.2:3b',
    created_at: '2025-01-01T00:00:00.000Z',
    message: { role: 'assistant', content },
    done: true,
    done_reason: 'stop',
  } as LLMChunk;
}

/** An upstream that counts its calls and answers after `delayMs` (its simulated work, not a wait for a condition). */
export class CountingUpstream {
  calls = 0;
  readonly #delayMs: number;
  #fail = false;

  constructor(delayMs = 50) {
    this.#delayMs = delayMs;
  }

  /** Makes the next calls throw (after the delay) instead of answering. */
  failNext(fail = true): void {
    this.#fail = fail;
  }

  readonly compute = async (signal: AbortSignal, content = 'blue, because of Rayleigh scattering') => {
    this.calls++;
    await new Promise((resolve) => setTimeout(resolve, this.#delayMs));
    signal.throwIfAborted();
    if (this.#fail) throw new Error('upstream failed');
    return chatResponse(content);
  };
}

/**
 * An upstream that counts its calls and answers only once the test calls `answer()`: a computation
 * the test holds in flight for as long as it needs, whatever the machine's speed.
 */
export class HeldUpstream {
  calls = 0;
  #answer: () => void = () => {};
  readonly #answered = new Promise<void>((resolve) => {
    this.#answer = resolve;
  });

  /** Lets every call, held or still to come, answer. */
  answer(): void {
    this.#answer();
  }

  readonly compute = async (signal: AbortSignal, content = 'blue, because of Rayleigh scattering') => {
    this.calls++;
    await this.#answered;
    signal.throwIfAborted();
    return chatResponse(content);
  };
}

/** The text of an entry's first chunk (`streamedEntry('a')` gives `'a 0'`): which entry came back. */
export function firstText(entry: CacheEntry | undefined): string | undefined {
  return entry?.chunks[0]?.message?.content;
}

/** What a granted claim looks like. */
export const aLease = { release: expect.any(Function) };
