/**
 * Getting a loaded model for a request, like Ollama's `scheduleRunner`: a full queue is a 503
 * at once; otherwise the fixed overhead, then the load if the model is not loaded (shared with
 * other requests loading it). `load_duration` runs from the request's arrival to here.
 */
import { monotonicNs } from './clock.js';
import { httpError } from './errors.js';
import { BUSY_MESSAGE, type ModelRunner } from './model-runner.js';
import type { AnswerContext } from './sim-state.js';

/** Runs `use` with the model retained and loaded; `loadedNs` is when the load was done. */
export async function withLoadedModel<T>(
  context: AnswerContext,
  runner: ModelRunner,
  load: { keepAliveMs: number; loadKey: string; contextLength: number },
  use: (loadedNs: bigint) => Promise<T>,
): Promise<T> {
  if (runner.wouldReject) {
    context.sim.stats.rejectedBusy++;
    throw httpError(503, BUSY_MESSAGE);
  }
  runner.retain(load.keepAliveMs);
  try {
    await context.sim.timers.sleep(runner.model.latency.overheadMs, context.signal);
    await runner.ensureLoaded(load.loadKey, load.contextLength, context.signal);
    return await use(monotonicNs());
  } finally {
    runner.release();
  }
}
