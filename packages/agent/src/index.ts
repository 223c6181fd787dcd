// The memory store and the session stores live in @lunar/memory; re-exported for the agent's users.
export {
  type AddManyOptions,
  type AddMemoryOptions,
  ConversationHistory,
  type ConversationHistoryOptions,
  createMemoryStore,
  DEFAULT_SCOPE,
  type Embedder,
  HashEmbedder,
  type HashEmbedderOptions,
  type HistoryMessage,
  isMemoryError,
  type JsonValue,
  type ListMemoryOptions,
  MAX_K,
  MAX_TEXT_BYTES,
  type Memory,
  MemoryError,
  type MemoryErrorCode,
  type MemoryMetadata,
  type MemorySearchInvalidator,
  type MemorySearchResult,
  type MemoryStore,
  type NewMemory,
  PostgresMemoryStore,
  RedisSessionStore,
  RRF_K,
  type SearchMemoryOptions,
  type SessionStore,
  SqliteMemoryStore,
} from '@lunar/memory';
export type { CacheStatus } from '@lunar/ollama-stream';
export { Agent, type AgentStats, createAgent, type WarmupOptions } from './agent/agent.js';
export {
  type AgentConfig,
  type AgentMemoryConfig,
  ALL_OFF,
  ALL_ON,
  CACHES_OFF,
  type Optimizations,
  type PrepareOptions,
  type RunOptions,
} from './agent/agent-config.js';
export { type OpenAgentMemoryOptions, openAgentMemory } from './agent/agent-memory.js';
export {
  AgentError,
  type AgentErrorCode,
  type AgentErrorFields,
  isAgentError,
  pullCommandFor,
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
export { type FormatProfileOptions, formatProfile } from './profile/format-profile.js';
export {
  STAGE_NAMES,
  type StageName,
  type StageRecord,
  stageLabel,
  type ToolSpan,
  type TurnProfile,
  toolSpansOf,
} from './profile/profile.js';
export { TRACER_NAME } from './profile/turn-spans.js';
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
export type { SpeculationStats, ToolPredictor } from './turn/speculation.js';
