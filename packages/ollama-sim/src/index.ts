export { defaultScript } from './default-script.js';
export { cosineSimilarity, embed } from './embedding.js';
export { isOllamaSimError, OllamaSimError, type OllamaSimErrorCode } from './errors.js';
export { modelLatency } from './model-latency.js';
export { PROFILES, type SimProfile } from './profiles.js';
export { startOllamaSim } from './server.js';
export type {
  Fault,
  FaultRule,
  LatencyModel,
  OllamaSim,
  OllamaSimOptions,
  OllamaSimStats,
  ProfileName,
  Script,
  ScriptInput,
  ScriptReply,
  SimModelConfig,
  TemplateName,
} from './types.js';
