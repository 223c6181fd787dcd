/**
 * The progress streams of `/api/pull`, `/api/push` and `/api/create`, as Ollama writes them:
 * NDJSON objects `{"status", "digest"?, "total"?, "completed"?}` (zeros left out), or with
 * `"stream": false` one JSON object, the last progress.
 */
import { httpError } from '../errors.js';
import { goJson } from '../go-json.js';
import type { ResolvedModel } from '../model-catalog.js';
import type { RequestContext } from '../sim-state.js';
import type { Layer } from './model-store.js';

/** A transfer's speed at the `gpu` profile's disk speed: about a 1 Gbit/s link (125 MB/s). */
const BYTES_PER_SECOND = 125_000_000;
/**
 * The `gpu` profile's load speed, the reference of the speed above: llama3.2:3b (3.2B parameters
 * at Q4_K_M, 1.94 GB) loads in 1.5 s. A profile that loads faster per byte transfers faster too.
 */
const REFERENCE_LOAD_MS_PER_BYTE = 1_500 / 1_940_000_000;
/** How often Ollama reports a transfer's progress. */
export const PROGRESS_EVERY_MS = 60;

export interface Progress {
  status: string;
  digest?: string;
  total?: number;
  completed?: number;
}

/** Writes the progress of one request: NDJSON lines as they happen, or the last one at the end. */
export class ProgressWriter {
  #last: Progress | undefined;

  constructor(
    private readonly context: RequestContext,
    private readonly stream: boolean,
  ) {}

  async send(progress: Progress): Promise<void> {
    const line: Progress = { status: progress.status };
    if (progress.digest) line.digest = progress.digest;
    if (progress.total) line.total = progress.total;
    if (progress.completed) line.completed = progress.completed;
    this.#last = line;
    if (this.stream) await this.context.writer.line(goJson(line));
  }

  /**
   * A failure: a line `{"error": ...}` with status 200 once streaming, else the status (500 for
   * one JSON answer, as Ollama's `waitForStream`).
   */
  async fail(message: string): Promise<void> {
    if (this.stream) {
      this.context.writer.error(200, message);
      return;
    }
    throw httpError(500, message);
  }

  async end(): Promise<void> {
    if (this.stream) this.context.writer.end();
    else await this.context.writer.json(200, goJson(this.#last ?? {}));
  }
}

/**
 * Moves `layers` one after the other, each reported every 60 ms while it moves and once more when
 * it is there; a layer `cached` is reported once, whole. The time a layer takes is its size at
 * 125 MB/s, scaled by how fast the model's profile loads a byte against the `gpu` profile (the
 * `fast` profile's near-zero load makes it near instant).
 */
export async function transfer(
  context: RequestContext,
  progress: ProgressWriter,
  layers: readonly Layer[],
  verb: 'pulling' | 'pushing',
  model: ResolvedModel,
  cached: (layer: Layer) => boolean = () => false,
): Promise<void> {
  const scale = model.latency.loadMs / Math.max(model.size, 1) / REFERENCE_LOAD_MS_PER_BYTE;
  for (const layer of layers) {
    const status = `${verb} ${layer.digest.slice(7, 19)}`;
    if (cached(layer)) {
      await progress.send({ status, digest: layer.digest, total: layer.size, completed: layer.size });
      continue;
    }
    const totalMs = (layer.size / BYTES_PER_SECOND) * 1000 * scale;
    const startedAt = performance.now();
    for (;;) {
      const elapsed = performance.now() - startedAt;
      const completed = Math.min(layer.size, Math.floor((layer.size * elapsed) / Math.max(totalMs, 1)));
      await progress.send({ status, digest: layer.digest, total: layer.size, completed });
      if (completed >= layer.size) break;
      await context.sim.timers.sleep(Math.min(PROGRESS_EVERY_MS, totalMs - elapsed), context.signal);
    }
  }
}
