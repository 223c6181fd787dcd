import type { MemorySearchResult } from '@lunar/memory';
import type { CacheStatus } from '@lunar/ollama-stream';
import type { AgentError } from '../agent/errors.js';
import type { AgentEvent } from '../agent/events.js';
import type { Profiler } from '../profile/profiler.js';
import { stageEvent } from './stage-event.js';
import type { TurnSignals } from './turn-signals.js';

/** What a memory search found, and how its cache served it. */
export interface MemoryFound {
  results: MemorySearchResult[];
  cache: CacheStatus;
}

/** Searches the agent's memory; resolves to undefined when the agent has none. */
export type SearchMemory = (text: string, signal: AbortSignal) => Promise<MemoryFound | undefined>;

export interface MemoryStageContext {
  search: SearchMemory;
  profiler: Profiler;
  signals: TurnSignals;
}

/** A memory search under way, timed from its start. */
export interface RunningSearch {
  /** Drops the search: it is aborted and its result never read. */
  drop(reason: AgentError): void;
  /** Waits for the results and records the `memory-search` stage. */
  finish(): AsyncGenerator<AgentEvent, MemorySearchResult[], undefined>;
}

const ignore = (): void => {};

/** Starts the `memory-search` stage on its own branch of the turn's signal. */
export function startMemorySearch(context: MemoryStageContext, text: string): RunningSearch {
  const timer = context.profiler.stage('memory-search');
  const branch = context.signals.branch();
  const found = context.search(text, branch.signal);
  // Read by finish(), or dropped: a dropped search's failure is nobody's to report.
  found.catch(ignore);
  return {
    drop: (reason) => branch.abort(reason),
    async *finish() {
      const result = await found;
      const memories = result?.results ?? [];
      yield stageEvent(
        timer.end({
          cache: result?.cache ?? 'off',
          detail: result ? { results: memories.length } : { skipped: 'no memory store' },
        }),
      );
      return memories;
    },
  };
}
