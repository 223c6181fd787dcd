// @lunar/agent/bench: the before/after benchmark of the agent pipeline (what `lunar bench` runs).
export {
  type AgentBenchmarkOptions,
  type AgentBenchmarkResult,
  BENCH_MODELS,
  type BenchmarkEngine,
  type ConfigurationResult,
  type ModelBenchmark,
  medianTurn,
  runAgentBenchmark,
  SCENARIOS,
  type ScenarioBound,
  type ScenarioName,
  type ScenarioSummary,
  summarise,
} from './agent-benchmark.js';
export { BENCH_TOOL_LATENCY_MS, benchToolPredictors, benchTools } from './bench-tools.js';
export {
  describeBound,
  type FormatBenchmarkOptions,
  formatBenchmark,
  formatFirstTurn,
  formatModel,
  formatOptimizations,
  formatScenario,
} from './format-benchmark.js';
export {
  type CallShape,
  type EngineLatency,
  firstTokenBound,
  type TurnBound,
  type TurnShape,
} from './lower-bound.js';
export { type Overlap, type StageSums, stageSums } from './stage-sums.js';
export { type RecordedCall, RecordingClient, turnShape } from './turn-shape.js';
