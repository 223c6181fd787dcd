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
