import type { CacheStatus } from '@lunar/ollama-stream';

/** The fixed names of a turn's stages, in pipeline order. */
export const STAGE_NAMES = [
  'input-guards',
  'memory-search',
  'build-prompt',
  'llm',
  'parse-tool-calls',
  'tools',
  'wait',
  'output-guards',
] as const;

export type StageName = (typeof STAGE_NAMES)[number];

export interface StageRecord {
  name: StageName;
  /** Model round, counted from 1, for the stages that repeat (`llm`, `parse-tool-calls`, `tools`, `wait`). */
  round?: number;
  /** Start, in ms from the start of the turn. */
  startMs: number;
  durationMs: number;
  /** What a cache did for the stage (`off` when that cache's optimization is off). */
  cache?: CacheStatus;
  /**
   * For a `wait` stage: what the turn waited for. `tools`: the model had finished its round and
   * the round's tools (started early, as their calls arrived) were still running; `llm`: the
   * tools had finished and the model was still writing.
   */
  waitingFor?: 'tools' | 'llm';
  /**
   * Set in the finished profile (the `done` and `error` events): true when the first token
   * waited for this stage, i.e. the stage is on the critical path to the first token.
   */
  critical?: boolean;
  detail?: Record<string, unknown>;
}

/** One tool call, from the moment it got its slot to its result. */
export interface ToolSpan {
  /** The id its `tool-call` and `tool-result` events carry. */
  callId: string;
  /** The tool the model asked for. */
  name: string;
  round: number;
  /** When the tool's `execute` was called, in ms from the start of the turn (a speculative call the model took over: when it started, before the model asked; a call that never ran: when its result came). */
  startMs: number;
  /** The tool's own time: from its start to its result. */
  durationMs: number;
  /** `hit` when a recent result answered it (`toolCache`), `miss` when it ran, `off` when the `toolCache` optimization is off. */
  cache: CacheStatus;
  ok: boolean;
  /** The failure's kind when `ok` is false: not-found, invalid-arguments, timeout, failed, aborted. */
  errorCode?: string;
  /** Started while the model was still writing its answer (the `eagerTools` optimization). */
  early: boolean;
}

/** Ollama's own timings summed over the turn's model calls, in ms. */
export interface OllamaDurations {
  loadMs: number;
  promptEvalMs: number;
  evalMs: number;
  totalMs: number;
}

export interface TurnProfile {
  /** In start order. */
  stages: StageRecord[];
  /** Every tool call of the turn, in start order. */
  toolSpans: ToolSpan[];
  /** From the start of the turn to the first text shown to the user; null when no text came. */
  timeToFirstTokenMs: number | null;
  totalMs: number;
  /** Model calls that reached Ollama (cache hits and joins are not counted). */
  ollamaCalls: number;
  /** Model rounds, cached or not. */
  rounds: number;
  /** Tool calls the model made over the turn. */
  toolCalls: number;
  tokens: { input: number; output: number };
  ollama: OllamaDurations;
  /**
   * The same figures under the OpenTelemetry GenAI semantic-convention names (durations in
   * seconds, as those conventions use).
   */
  otel: Record<string, number | string>;
}

/** A stage's name as the waterfall and the bench print it: `llm #2`, `wait #1 for tools`. */
export function stageLabel(stage: Pick<StageRecord, 'name' | 'round' | 'waitingFor'>): string {
  const name = stage.round === undefined ? stage.name : `${stage.name} #${stage.round}`;
  return stage.waitingFor === undefined ? name : `${name} for ${stage.waitingFor}`;
}

/** The tool calls a `tools` stage covers: those of its round that started within it. */
export function toolSpansOf(stage: StageRecord, spans: readonly ToolSpan[]): ToolSpan[] {
  if (stage.name !== 'tools') return [];
  const end = stage.startMs + stage.durationMs;
  return spans.filter(
    (span) => span.round === stage.round && span.startMs >= stage.startMs && span.startMs <= end,
  );
}
