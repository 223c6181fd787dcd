import type { CacheStatus } from '@lunar/ollama-stream';

/** The fixed names of a turn's stages, in pipeline order. */
export const STAGE_NAMES = [
  'input-guards',
  'memory-search',
  'build-prompt',
  'llm',
  'parse-tool-calls',
  'tools',
  'output-guards',
] as const;

export type StageName = (typeof STAGE_NAMES)[number];

export interface StageRecord {
  name: StageName;
  /** Model round, counted from 1, for the stages that repeat (`llm`, `parse-tool-calls`, `tools`). */
  round?: number;
  /** Start, in ms from the start of the turn. */
  startMs: number;
  durationMs: number;
  /** What a cache did for the stage (`off` when that cache's optimization is off). */
  cache?: CacheStatus;
  detail?: Record<string, unknown>;
}

/** Ollama's own timings summed over the turn's model calls, in ms. */
export interface OllamaDurations {
  loadMs: number;
  promptEvalMs: number;
  evalMs: number;
  totalMs: number;
}

export interface TurnProfile {
  stages: StageRecord[];
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
