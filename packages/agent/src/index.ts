export type { CacheStatus } from '@lunar/ollama-stream';
export { Agent, type AgentStats, createAgent, type WarmupOptions } from './agent/agent.js';
export {
  type AgentConfig,
  type AgentMemoryConfig,
  ALL_OFF,
  ALL_ON,
  CACHES_OFF,
  type Optimizations,
  type RunOptions,
} from './agent/agent-config.js';
export { type OpenAgentMemoryOptions, openAgentMemory } from './agent/agent-memory.js';
export {
  AgentError,
  type AgentErrorCode,
  type AgentErrorFields,
  isAgentError,
  pullCommand,
} from './agent/errors.js';
export type {
  AgentAnswer,
  AgentEvent,
  DoneEvent,
  ErrorEvent,
  StageEvent,
  TextDeltaEvent,
  ToolCallEvent,
  ToolResultEvent,
} from './agent/events.js';
export { cachedEmbedder, ollamaEmbedder } from './agent/ollama-embedder.js';
export { DEFAULT_EMBED_MODEL, DEFAULT_MODEL, DEFAULT_SYSTEM } from './defaults.js';
export { type Engine, type OpenEngineOptions, openEngine, type Simulator } from './engine/open-engine.js';
export type {
  GuardVerdict,
  InputGuard,
  InputGuardContext,
  OutputGuard,
  OutputGuardStream,
} from './guards/guard.js';
export { DEFAULT_INJECTION_PATTERNS, injectionGuard, inputLengthGuard } from './guards/input-guards.js';
export { secretRedactionGuard } from './guards/secret-redactor.js';
export { DEFAULT_SECRET_RULES, type SecretRule } from './guards/secret-rules.js';
export { ConversationHistory, type ConversationHistoryOptions } from './history/conversation-history.js';
export { MemoryStoreError, type MemoryStoreErrorCode } from './memory/errors.js';
export { HashEmbedder, type HashEmbedderOptions } from './memory/hash-embedder.js';
export { MAX_K, MAX_TEXT_BYTES, RRF_K } from './memory/limits.js';
export { DEFAULT_SCOPE, MemoryStore } from './memory/memory-store.js';
export type {
  AddMemoryOptions,
  Embedder,
  JsonValue,
  ListMemoryOptions,
  Memory,
  MemoryMetadata,
  MemorySearchInvalidator,
  MemorySearchResult,
  MemoryStoreOptions,
  NewMemory,
  SearchMemoryOptions,
} from './memory/types.js';
export { type FormatProfileOptions, formatProfile } from './profile/format-profile.js';
export {
  STAGE_NAMES,
  type StageName,
  type StageRecord,
  type TurnProfile,
} from './profile/profile.js';
export { ArithmeticError, evaluateArithmetic } from './tools/arithmetic.js';
export {
  calculatorTool,
  currentTimeTool,
  type MemoryToolsOptions,
  memoryTools,
  type ReadFileToolOptions,
  readFileTool,
} from './tools/builtin-tools.js';
export { type DefaultToolsOptions, defaultTools } from './tools/default-tools.js';
