export { Agent, type AgentStats, createAgent } from './agent/agent.js';
export {
  type AgentConfig,
  type AgentMemoryConfig,
  ALL_OFF,
  ALL_ON,
  type Optimizations,
  type RunOptions,
} from './agent/agent-config.js';
export { type OpenAgentMemoryOptions, openAgentMemory } from './agent/agent-memory.js';
export { AgentError, type AgentErrorCode } from './agent/errors.js';
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
export {
  type AgentBenchmarkOptions,
  type AgentBenchmarkResult,
  type BenchmarkBackend,
  type ConfigurationResult,
  runAgentBenchmark,
  SCENARIOS,
  type ScenarioName,
  type ScenarioSummary,
  stageMedians,
  summarise,
} from './bench/agent-benchmark.js';
export { BENCH_TOOL_LATENCY_MS, benchTools } from './bench/bench-tools.js';
export { formatBenchmark, formatScenario, formatSwitches } from './bench/format-benchmark.js';
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
export {
  ConversationHistory,
  type ConversationHistoryOptions,
  type HistoryMessage,
} from './history/conversation-history.js';
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
  type CacheStatus,
  STAGE_NAMES,
  type StageName,
  type StageRecord,
  type TurnProfile,
} from './profile/profile.js';
export { ArithmeticError, evaluateArithmetic } from './tools/arithmetic.js';
export {
  calculatorTool,
  currentTimeTool,
  memoryTools,
  type ReadFileToolOptions,
  readFileTool,
} from './tools/builtin-tools.js';
