/**
 * How fast each model runs next to the profile's reference model, llama3.2:3b: every profile's
 * figures are llama3.2:3b's, and another model's are those times its factors. Where each factor
 * comes from is in the README ("Models and their speeds").
 */
import type { LatencyModel } from './types.js';

export interface SpeedFactors {
  /** Prompt evaluation speed, times the reference's. */
  readonly prefill: number;
  /** Decode speed, times the reference's. */
  readonly decode: number;
  /** Load time, times the reference's. */
  readonly load: number;
}

/** llama3.2:3b as the catalog describes it: 3.2B parameters at Q4_K_M (about 4.85 bits each). */
const REFERENCE_PARAMETERS = 3.2e9;
const REFERENCE_BYTES = (3.2e9 * 4.85) / 8;

/** Factors from published measurements, by canonical model name. */
const PUBLISHED: Readonly<Record<string, SpeedFactors>> = {
  'llama3.2:3b': { prefill: 1, decode: 1, load: 1 },
  'llama3.2:latest': { prefill: 1, decode: 1, load: 1 },
  // Decode: qwen3:8b / llama3.2:3b on the same machine through Ollama (Apple M4, and the
  // llama3.1:8b pairs on two CPUs) is 0.44-0.46. Prefill is compute-bound: 3.21 / 8.19 billion
  // parameters. Load: 5.2 GB / 2.0 GB of weights to read.
  'qwen3:8b': { prefill: 0.39, decode: 0.45, load: 2.6 },
};

const SAME: SpeedFactors = { prefill: 1, decode: 1, load: 1 };

/**
 * The factors of a model: published ones for the default models; else, when its size is given,
 * estimated as the physics goes (prefill by parameters, decode and load by bytes of weights);
 * else the reference's own.
 */
export function speedFactors(name: string, size?: { parameters: number; bytes: number }): SpeedFactors {
  const published = PUBLISHED[name];
  if (published !== undefined) return published;
  if (size === undefined) return SAME;
  return {
    prefill: REFERENCE_PARAMETERS / size.parameters,
    decode: REFERENCE_BYTES / size.bytes,
    load: size.bytes / REFERENCE_BYTES,
  };
}

/** A profile's latency (the reference model's) for a model with `factors`. */
export function scaleLatency(latency: LatencyModel, factors: SpeedFactors): LatencyModel {
  return {
    ...latency,
    loadMs: latency.loadMs * factors.load,
    promptTokensPerSecond: latency.promptTokensPerSecond * factors.prefill,
    tokensPerSecond: latency.tokensPerSecond * factors.decode,
  };
}
