/** What request handlers share: the simulator's state and one request's context. */
import type { ModelCatalog, ResolvedModel } from './model-catalog.js';
import type { ModelRunner } from './model-runner.js';
import type { AnswerWriter, ResponseWriter } from './response-writer.js';
import type { StatsCounter } from './stats.js';
import type { Timers } from './timers.js';
import type { Script } from './types.js';

export interface SimState {
  readonly catalog: ModelCatalog;
  readonly runners: ReadonlyMap<string, ModelRunner>;
  readonly stats: StatsCounter;
  readonly timers: Timers;
  readonly script: Script;
  readonly defaultKeepAliveMs: number;
  /** Aborted when the simulator closes. */
  readonly closed: AbortSignal;
  readonly version: string;
  /** `modified_at` of every model: when the simulator started, in epoch ns. */
  readonly startedAtNs: bigint;
}

export interface RequestContext<Writer extends AnswerWriter = ResponseWriter> {
  readonly sim: SimState;
  readonly writer: Writer;
  /** Aborted when the client goes away or the simulator closes. */
  readonly signal: AbortSignal;
  /** Monotonic ns when the request arrived. */
  readonly startNs: bigint;
  /** The request body as text ('' for GET). */
  readonly body: string;
  /** Counts this request as a generation (in flight now; a disconnect counts). */
  markGeneration(): void;
}

/**
 * The context of the answer handlers (`/api/chat`, `/api/generate`, `/api/embed`), which the
 * OpenAI routes also run with a writer that translates what they write.
 */
export type AnswerContext = RequestContext<AnswerWriter>;

export function runnerFor(sim: SimState, model: ResolvedModel): ModelRunner {
  const runner = sim.runners.get(model.name);
  if (runner === undefined) throw new Error(`no runner for ${model.name}`);
  return runner;
}
