import { canonicalName, DEFAULT_MODELS, resolveModel } from './model-catalog.js';
import { PROFILE_NAMES, PROFILES } from './profiles.js';
import type { LatencyModel, ProfileName } from './types.js';

/**
 * The latency a simulator started with `{ profile }` (and no `latency` or `models` option) runs
 * `model` at: the profile's figures times the model's factors (see "Models and their speeds").
 * A name the simulator does not know by default gets the profile's own figures. For what the
 * simulator's physics allow, e.g. the lower bound of a turn.
 */
export function modelLatency(model: string, profile: ProfileName = 'fast'): LatencyModel {
  if (typeof model !== 'string' || model === '') {
    throw new TypeError(`modelLatency: model must be a non-empty string, got ${JSON.stringify(model)}`);
  }
  const figures = PROFILES[profile];
  if (!PROFILE_NAMES.includes(profile) || figures === undefined) {
    throw new TypeError(
      `modelLatency: profile must be one of ${PROFILE_NAMES.join(', ')}, got ${JSON.stringify(profile)}`,
    );
  }
  const name = canonicalName(model);
  const config = DEFAULT_MODELS.find((each) => canonicalName(each.name) === name) ?? { name: model };
  const { loadMs, promptTokensPerSecond, tokensPerSecond, overheadMs, embedMsPerInput } = figures;
  return {
    ...resolveModel(config, {
      profile: { loadMs, promptTokensPerSecond, tokensPerSecond, overheadMs, embedMsPerInput },
      overrides: {},
      parallel: 1,
      answerTokens: figures.answerTokens,
      embeddingDimensions: 768,
    }).latency,
  };
}
