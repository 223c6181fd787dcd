import { OllamaClient } from '@lunar/ollama-stream';
import { createAgent } from '../agent/agent.js';
import { ALL_OFF, ALL_ON, type Optimizations } from '../agent/agent-config.js';
import { openAgentMemory } from '../agent/agent-memory.js';
import { checkObject, checkOptionKeys } from '../agent/check-options.js';
import { AgentError } from '../agent/errors.js';
import { DEFAULT_EMBED_MODEL, DEFAULT_MODEL } from '../defaults.js';
import type { TurnProfile } from '../profile/profile.js';
import { BENCH_TOOL_LATENCY_MS, benchTools } from './bench-tools.js';

/** The engine to run against: a fresh one per configuration (a simulator), or a real Ollama. */
export interface BenchmarkEngine {
  url: string;
  close(): Promise<void>;
  /** Embeds texts the way this engine's `/api/embed` does, without a request (fills the store fast). */
  embedLocally?: (texts: string[]) => number[][];
}

export interface AgentBenchmarkOptions {
  /** Starts the engine for one configuration; called once per configuration, closed after it. */
  engine: () => Promise<BenchmarkEngine>;
  /** Turns per scenario (default 3); the table shows medians. */
  turns?: number;
  /** Also run each optimization alone (default true). */
  eachOptimization?: boolean;
  /** Turns per scenario for each optimization alone (default 1). */
  aloneTurns?: number;
  /** Memories in the store searched on every turn (default 2,000). */
  memories?: number;
  model?: string;
  embedModel?: string;
  /** Called after each turn: turns done so far, turns in all. */
  onProgress?: (done: number, total: number, label: string) => void;
  signal?: AbortSignal;
}

export const SCENARIOS = {
  text: 'a question answered in text',
  tools: 'a question that needs two tools',
  repeat: 'the two-tool question asked again',
} as const;
export type ScenarioName = keyof typeof SCENARIOS;

export interface ConfigurationResult {
  name: string;
  optimizations: Optimizations;
  /**
   * The first turn after the agent started, not in the medians: without the `warmup` optimization the
   * model loads during it; with it, `agent.warmup()` loaded it at start (`warmupMs`).
   */
  coldStart: TurnProfile;
  /** How long `agent.warmup()` took at start (0 when the optimization is off). */
  warmupMs: number;
  /** Every measured turn's profile, per scenario (after the cold start). */
  turns: Record<ScenarioName, TurnProfile[]>;
}

export interface AgentBenchmarkResult {
  model: string;
  turnsPerScenario: number;
  memories: number;
  toolLatencyMs: Record<string, number>;
  before: ConfigurationResult;
  after: ConfigurationResult;
  /** Each optimization alone (the rest off), named after it. */
  alone: ConfigurationResult[];
}

const OPTION_KEYS = {
  engine: true,
  turns: true,
  eachOptimization: true,
  aloneTurns: true,
  memories: true,
  model: true,
  embedModel: true,
  onProgress: true,
  signal: true,
} as const;

const SYSTEM_PROMPT = [
  'You are Lunar, a helpful assistant running on a local model.',
  'Answer briefly and plainly. When a question needs live data (weather, prices), call the matching tool',
  'rather than guessing, and use every tool result in your answer. Use the memories you are given when they',
  'are relevant, and say so when you do not know.',
].join(' ');

const COLD_QUESTION = 'Hello! What can you help me with?';
const TEXT_QUESTIONS = [
  'How do ocean tides work?',
  'Why is the sky blue during the day?',
  'What makes bread dough rise?',
  'How does a refrigerator keep food cold?',
  'Why do leaves change colour in autumn?',
  'How do noise cancelling headphones work?',
  'What causes the seasons on Earth?',
  'How does a bicycle stay upright?',
];
const CITIES = ['Paris', 'Tokyo', 'Lisbon', 'Oslo', 'Nairobi', 'Lima', 'Seoul', 'Dublin'];
const SYMBOLS = ['ACME', 'GLOBEX', 'INITECH', 'UMBRELLA', 'HOOLI', 'STARK', 'WAYNE', 'TYRELL'];
const TOPICS = [
  'cooking',
  'travel',
  'music',
  'gardening',
  'running',
  'books',
  'films',
  'coffee',
  'weather',
  'stocks',
];

function memoryTexts(count: number): string[] {
  return Array.from({ length: count }, (_, index) => {
    const topic = TOPICS[index % TOPICS.length]!;
    const city = CITIES[index % CITIES.length]!;
    return `Note ${index}: the user mentioned ${topic} while talking about ${city} on day ${index % 365}.`;
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function runConfiguration(
  name: string,
  optimizations: Optimizations,
  options: Required<Pick<AgentBenchmarkOptions, 'turns' | 'memories' | 'model' | 'embedModel'>> &
    Pick<AgentBenchmarkOptions, 'engine' | 'signal'>,
  progress: () => void,
): Promise<ConfigurationResult> {
  const engine = await options.engine();
  const client = new OllamaClient({ host: engine.url });
  const memory = openAgentMemory({ location: ':memory:', client, embedModel: options.embedModel });
  try {
    const texts = memoryTexts(options.memories);
    for (let start = 0; start < texts.length; start += 1_000) {
      const batch = texts.slice(start, start + 1_000).map((text) => ({ text }));
      if (engine.embedLocally) {
        const vectors = engine.embedLocally(batch.map((item) => item.text));
        await memory.store.addMany(batch, { embedder: { embed: async () => vectors } });
      } else {
        await memory.store.addMany(batch);
      }
    }
    memory.cache.invalidate();
    const agent = createAgent({
      model: options.model,
      client,
      system: SYSTEM_PROMPT,
      tools: benchTools(),
      // A weather report or a stock quote a minute old is fine to reuse, as such APIs allow.
      cacheableTools: { get_weather: 60_000, get_stock_price: 60_000 },
      memory,
      options: { temperature: 0 },
      optimizations,
    });
    const signalOption = options.signal ? { signal: options.signal } : {};
    const warmupStarted = performance.now();
    await agent.warmup(signalOption);
    const warmupMs = optimizations.warmup ? performance.now() - warmupStarted : 0;
    const coldStart = (await agent.ask(COLD_QUESTION, { sessionId: `${name}-cold`, ...signalOption }))
      .profile;
    progress();
    const turns: Record<ScenarioName, TurnProfile[]> = { text: [], tools: [], repeat: [] };
    for (let turn = 0; turn < options.turns; turn++) {
      const twoTools = `What is the weather in ${CITIES[turn % CITIES.length]} and the stock price of ${SYMBOLS[turn % SYMBOLS.length]}?`;
      const asked: Array<[ScenarioName, string]> = [
        ['text', TEXT_QUESTIONS[turn % TEXT_QUESTIONS.length]!],
        ['tools', twoTools],
        ['repeat', twoTools],
      ];
      for (const [scenario, question] of asked) {
        const answer = await agent.ask(question, {
          sessionId: `${name}-${scenario}-${turn}`,
          ...signalOption,
        });
        turns[scenario].push(answer.profile);
        progress();
      }
    }
    return { name, optimizations, coldStart, warmupMs, turns };
  } finally {
    await memory.store.close();
    await client.close();
    await engine.close();
  }
}

/**
 * Runs the same agent turns unoptimised (every optimization off) and optimised (every one on), and
 * optionally with each optimization alone, each configuration against a fresh engine.
 */
export async function runAgentBenchmark(options: AgentBenchmarkOptions): Promise<AgentBenchmarkResult> {
  checkObject('runAgentBenchmark: options', options);
  checkOptionKeys<AgentBenchmarkOptions>('runAgentBenchmark: options', options, OPTION_KEYS, {
    backend: 'engine',
    eachSwitch: 'eachOptimization',
    switchTurns: 'aloneTurns',
  });
  if (typeof options.engine !== 'function') {
    throw new TypeError('runAgentBenchmark: engine must be a function that starts an Ollama or a simulator');
  }
  const turns = options.turns ?? 3;
  if (!Number.isInteger(turns) || turns < 1 || turns > 50) {
    throw new TypeError(`runAgentBenchmark: turns must be an integer from 1 to 50, got ${String(turns)}`);
  }
  const memories = options.memories ?? 2_000;
  if (!Number.isInteger(memories) || memories < 0 || memories > 100_000) {
    throw new TypeError(
      `runAgentBenchmark: memories must be an integer from 0 to 100,000, got ${String(memories)}`,
    );
  }
  const settings = {
    engine: options.engine,
    signal: options.signal,
    turns,
    memories,
    model: options.model ?? DEFAULT_MODEL,
    embedModel: options.embedModel ?? DEFAULT_EMBED_MODEL,
  };
  const names = Object.keys(ALL_ON) as Array<keyof Optimizations>;
  const eachOptimization = options.eachOptimization ?? true;
  const aloneTurns = options.aloneTurns ?? 1;
  if (!Number.isInteger(aloneTurns) || aloneTurns < 1 || aloneTurns > 50) {
    throw new TypeError(
      `runAgentBenchmark: aloneTurns must be an integer from 1 to 50, got ${String(aloneTurns)}`,
    );
  }
  const total = 2 * (turns * 3 + 1) + (eachOptimization ? names.length * (aloneTurns * 3 + 1) : 0);
  let done = 0;
  const progressFor = (label: string) => () => {
    done += 1;
    options.onProgress?.(done, total, label);
  };
  try {
    const before = await runConfiguration('before', { ...ALL_OFF }, settings, progressFor('before'));
    const after = await runConfiguration('after', { ...ALL_ON }, settings, progressFor('after'));
    const alone: ConfigurationResult[] = [];
    if (eachOptimization) {
      for (const name of names) {
        const only = { ...ALL_OFF, [name]: true };
        alone.push(await runConfiguration(name, only, { ...settings, turns: aloneTurns }, progressFor(name)));
      }
    }
    return {
      model: settings.model,
      turnsPerScenario: turns,
      memories,
      toolLatencyMs: { ...BENCH_TOOL_LATENCY_MS },
      before,
      after,
      alone,
    };
  } catch (error) {
    if (error instanceof AgentError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new AgentError('AGENT_BENCHMARK_FAILED', `The benchmark failed: ${reason}`, { cause: error });
  }
}

/** Median of a stage's duration over turns (stages of the same name and round are summed per turn). */
export function stageMedians(profiles: TurnProfile[]): Map<string, number> {
  const perStage = new Map<string, number[]>();
  for (const profile of profiles) {
    const sums = new Map<string, number>();
    for (const stage of profile.stages) {
      const label = stage.round === undefined ? stage.name : `${stage.name} #${stage.round}`;
      sums.set(label, (sums.get(label) ?? 0) + stage.durationMs);
    }
    for (const [label, sum] of sums) {
      const values = perStage.get(label) ?? [];
      values.push(sum);
      perStage.set(label, values);
    }
  }
  const medians = new Map<string, number>();
  for (const [label, values] of perStage) medians.set(label, median(values));
  return medians;
}

export interface ScenarioSummary {
  firstTokenMs: number;
  totalMs: number;
  ollamaCalls: number;
}

export function summarise(profiles: TurnProfile[]): ScenarioSummary {
  return {
    firstTokenMs: median(profiles.map((profile) => profile.timeToFirstTokenMs ?? profile.totalMs)),
    totalMs: median(profiles.map((profile) => profile.totalMs)),
    ollamaCalls: median(profiles.map((profile) => profile.ollamaCalls)),
  };
}
