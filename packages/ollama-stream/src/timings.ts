import type { Metrics } from './common-types.js';

/** Timings of one streamed call. Client-side times are ms since the call started; Ollama's are its own. */
export interface StreamTimings {
  /** Time to the first chunk (any token: content, thinking or a tool call). */
  firstTokenMs: number | undefined;
  /** Time to the first chunk with non-empty `content` (chat) or `response` (generate). */
  firstContentMs: number | undefined;
  /** Time to the final chunk, or to the failure. */
  totalMs: number | undefined;
  /** Chunks received. */
  chunks: number;
  /** Decode speed as Ollama measured it: eval_count / eval_duration. */
  tokensPerSecond: number | undefined;
  /** Ollama's load_duration, in ms. */
  loadMs: number | undefined;
  /** Ollama's prompt_eval_duration (prefill), in ms. */
  promptEvalMs: number | undefined;
  /** Ollama's eval_duration (decode), in ms. */
  evalMs: number | undefined;
  /** Ollama's total_duration, in ms. */
  ollamaTotalMs: number | undefined;
  promptEvalCount: number | undefined;
  evalCount: number | undefined;
}

const ms = (nanoseconds: number | undefined) => (nanoseconds === undefined ? undefined : nanoseconds / 1e6);

export function streamTimings(
  startedAt: number,
  firstTokenAt: number | undefined,
  firstContentAt: number | undefined,
  endedAt: number | undefined,
  chunks: number,
  metrics: Metrics | undefined,
): StreamTimings {
  const since = (at: number | undefined) => (at === undefined ? undefined : at - startedAt);
  const evalCount = metrics?.eval_count;
  const evalDuration = metrics?.eval_duration;
  return {
    firstTokenMs: since(firstTokenAt),
    firstContentMs: since(firstContentAt),
    totalMs: since(endedAt),
    chunks,
    tokensPerSecond: evalCount && evalDuration ? (evalCount / evalDuration) * 1e9 : undefined,
    loadMs: ms(metrics?.load_duration),
    promptEvalMs: ms(metrics?.prompt_eval_duration),
    evalMs: ms(evalDuration),
    ollamaTotalMs: ms(metrics?.total_duration),
    promptEvalCount: metrics?.prompt_eval_count,
    evalCount,
  };
}
