// @lunar/agent/bench: the before/after benchmark of the agent pipeline (what `lunar bench` runs).
export {
  type AgentBenchmarkOptions,
  type AgentBenchmarkResult,
  type BenchmarkEngine,
  type ConfigurationResult,
  runAgentBenchmark,
  SCENARIOS,
  type ScenarioName,
  type ScenarioSummary,
  stageMedians,
  summarise,
} from './agent-benchmark.js';
export { BENCH_TOOL_LATENCY_MS, benchTools } from './bench-tools.js';
export { formatBenchmark, formatOptimizations, formatScenario } from './format-benchmark.js';
