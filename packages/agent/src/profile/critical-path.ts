import type { StageRecord } from './profile.js';

/** Two instants closer than this (ms) are the same instant: one stage ends as the next starts. */
const SAME_INSTANT_MS = 0.01;

const end = (stage: StageRecord) => stage.startMs + stage.durationMs;

/**
 * The stages the first token waited for, found by walking back from it: the `llm` round it came
 * out of; then, from each marked stage's start, the model round still writing there (a tool
 * that started inside the model's stream waited for the model) or, when none was, the stages
 * that ended last before it (ties together, as a `wait` and the tools it waited for).
 * `output-guards` is left out: it runs in pieces all along the stream. Stages that ran beside
 * the path and ended earlier (the input guards beside a longer memory search, tools that
 * finished while the model still wrote) are not on it.
 */
export function criticalStages(
  stages: readonly StageRecord[],
  firstTokenMs: number | null,
): Set<StageRecord> {
  const path = new Set<StageRecord>();
  if (firstTokenMs === null) return path;
  const open = stages.filter((stage) => stage.name !== 'output-guards');
  const model = (stage: StageRecord) => stage.name === 'llm' || stage.waitingFor === 'llm';
  let cursor = firstTokenMs;
  for (;;) {
    const unmarked = open.filter((stage) => !path.has(stage));
    // Only the model's stream sets things off mid-way: the first token, a tool call.
    let step = unmarked.filter(
      (stage) =>
        model(stage) && stage.startMs < cursor - SAME_INSTANT_MS && end(stage) >= cursor - SAME_INSTANT_MS,
    );
    if (step.length === 0) {
      const before = unmarked.filter((stage) => end(stage) <= cursor + SAME_INSTANT_MS);
      if (before.length === 0) return path;
      const last = Math.max(...before.map(end));
      step = before.filter((stage) => end(stage) >= last - SAME_INSTANT_MS);
    }
    for (const stage of step) path.add(stage);
    cursor = Math.min(...step.map((stage) => stage.startMs));
  }
}
