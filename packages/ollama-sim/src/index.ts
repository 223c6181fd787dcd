export { defaultScript } from './default-script.js';
export { cosineSimilarity, embed } from './embedding.js';
export { OllamaSimError } from './errors.js';
export { PROFILES, type SimProfile } from './profiles.js';
export { renderChatPrompt } from './prompt-template.js';
export { startOllamaSim } from './server.js';
export { countTokens, tokenize } from './tokenize.js';
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
} from './types.js';
