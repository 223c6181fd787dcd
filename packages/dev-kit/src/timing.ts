import { type Summary, summarise } from './statistics.js';

/** Runs `task` `warmup` times unmeasured, then `rounds` times: the duration of each measured run, in ms. */
export async function timeRounds(
  task: (round: number) => unknown,
  rounds: number,
  warmup = 1,
): Promise<number[]> {
  for (let round = 0; round < warmup; round++) await task(round);
  const durations: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    const result = task(round);
    if (isThenable(result)) await result;
    durations.push(performance.now() - started);
  }
  return durations;
}

/** How {@link race} interleaves its contestants. */
export interface RaceOptions {
  /** Unmeasured calls of each contestant first. */
  readonly warmup: number;
  /** Rounds; in each, every contestant runs `perRound` calls in turn. */
  readonly rounds: number;
  readonly perRound: number;
}

/**
 * Times each contestant one call at a time, interleaved round by round so that all of them see
 * the same machine (garbage collection, CPU frequency, other load): a summary per name, in ms.
 */
export async function race<Name extends string>(
  contestants: Record<Name, () => unknown>,
  options: RaceOptions,
): Promise<Record<Name, Summary>> {
  const names = Object.keys(contestants) as Name[];
  const durations = new Map<Name, number[]>(names.map((name) => [name, []]));
  for (const name of names) await timeRounds(contestants[name], 0, options.warmup);
  for (let round = 0; round < options.rounds; round++) {
    for (const name of names) {
      durations.get(name)?.push(...(await timeRounds(contestants[name], options.perRound, 0)));
    }
  }
  return Object.fromEntries(names.map((name) => [name, summarise(durations.get(name) ?? [])])) as Record<
    Name,
    Summary
  >;
}

/** Full garbage collection when node runs with --expose-gc, otherwise nothing. */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
