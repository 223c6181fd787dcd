import type { LatencyModel, ProfileName } from './types.js';

/** A named latency profile: the latency model plus the length of a generated text answer. */
export interface SimProfile extends LatencyModel {
  /** Tokens in a generated text answer (before `num_predict`). */
  readonly answerTokens: number;
  /** One line on what the profile stands for. */
  readonly description: string;
}

/**
 * The named profiles. Where each number comes from is in the README ("Profiles"):
 * `gpu` and `cpu` follow published Ollama speeds for llama3.2:3b Q4_K_M; `seed` is calibrated to
 * the classic unoptimised 4 s agent turn; `fast` is near zero for test suites.
 */
export const PROFILES: Readonly<Record<ProfileName, Readonly<SimProfile>>> = Object.freeze({
  fast: Object.freeze({
    description: 'near-zero latency for test suites',
    loadMs: 1,
    promptTokensPerSecond: 1_000_000,
    tokensPerSecond: 20_000,
    overheadMs: 0,
    embedMsPerInput: 0,
    answerTokens: 24,
  }),
  seed: Object.freeze({
    description: 'the classic unoptimised turn: first token ~300 ms, full answer ~2 s, cold load 1.8 s',
    loadMs: 1800,
    promptTokensPerSecond: 1000,
    tokensPerSecond: 40,
    overheadMs: 20,
    embedMsPerInput: 15,
    answerTokens: 68,
  }),
  gpu: Object.freeze({
    description: 'a desktop GPU (RTX 3060 to 4090 class)',
    loadMs: 1500,
    promptTokensPerSecond: 4000,
    tokensPerSecond: 150,
    overheadMs: 10,
    embedMsPerInput: 5,
    answerTokens: 68,
  }),
  cpu: Object.freeze({
    description: 'a laptop CPU, no GPU',
    loadMs: 3000,
    promptTokensPerSecond: 100,
    tokensPerSecond: 24,
    overheadMs: 20,
    embedMsPerInput: 40,
    answerTokens: 68,
  }),
});

export const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];
