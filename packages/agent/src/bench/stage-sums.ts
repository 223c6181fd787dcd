import { type StageRecord, stageLabel, type TurnProfile } from '../profile/profile.js';

/** Two stages that ran at the same time, and for how long. */
export interface Overlap {
  first: string;
  second: string;
  ms: number;
}

/** A turn's stage times and how they add up to its total. */
export interface StageSums {
  /** Each stage's time by label (`llm #1`, `wait #1 for tools`); stages of one label summed. */
  stages: Map<string, number>;
  /** The stages' times added up. */
  sumMs: number;
  /** Time counted more than once in that sum, because stages ran at once. */
  overlapMs: number;
  /** The pairs of stages that ran at once. */
  overlaps: Overlap[];
  /** Time inside the turn in no stage (between stages). */
  outsideMs: number;
  /** The turn's total: `sumMs - overlapMs + outsideMs`. */
  totalMs: number;
}

const endOf = (stage: StageRecord) => stage.startMs + stage.durationMs;

/** Length of the union of the stages' intervals. */
function covered(stages: readonly StageRecord[]): number {
  const sorted = [...stages].sort((a, b) => a.startMs - b.startMs);
  let length = 0;
  let reach = Number.NEGATIVE_INFINITY;
  for (const stage of sorted) {
    const start = Math.max(stage.startMs, reach);
    if (endOf(stage) > start) length += endOf(stage) - start;
    reach = Math.max(reach, endOf(stage));
  }
  return length;
}

/**
 * How a turn's stages add up to its total: their sum, minus the time counted twice because
 * stages ran at once (with which), plus the time in no stage. `output-guards` runs in pieces
 * inside the model's stream (its row is only drawn where it ends), so its time counts as
 * overlapping the `llm` stages.
 */
export function stageSums(profile: TurnProfile): StageSums {
  const stages = new Map<string, number>();
  for (const stage of profile.stages) {
    const label = stageLabel(stage);
    stages.set(label, (stages.get(label) ?? 0) + stage.durationMs);
  }
  const placed = profile.stages.filter((stage) => stage.name !== 'output-guards');
  const guardsMs = profile.stages
    .filter((stage) => stage.name === 'output-guards')
    .reduce((sum, stage) => sum + stage.durationMs, 0);
  const sumMs = profile.stages.reduce((sum, stage) => sum + stage.durationMs, 0);
  const coveredMs = covered(placed);
  const overlaps: Overlap[] = [];
  placed.forEach((first, index) => {
    for (const second of placed.slice(index + 1)) {
      const ms = Math.min(endOf(first), endOf(second)) - Math.max(first.startMs, second.startMs);
      if (ms > 0) overlaps.push({ first: stageLabel(first), second: stageLabel(second), ms });
    }
  });
  if (guardsMs > 0)
    overlaps.push({ first: 'output-guards', second: 'llm (in pieces, along the stream)', ms: guardsMs });
  return {
    stages,
    sumMs,
    overlapMs: sumMs - coveredMs,
    overlaps,
    outsideMs: Math.max(0, profile.totalMs - coveredMs),
    totalMs: profile.totalMs,
  };
}
