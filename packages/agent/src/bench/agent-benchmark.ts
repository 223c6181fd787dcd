import { createAgent } from '../agent/agent.js';
import { ALL_OFF, ALL_ON, type Optimizations } from '../agent/agent-config.js';
import { openAgentMemory } from '../agent/agent-memory.js';
import { checkObject, checkOptionKeys } from '../agent/check-options.js';
import { AgentError } from '../agent/errors.js';
import { DEFAULT_EMBED_MODEL, DEFAULT_MODEL } from '../defaults.js';
import type { TurnProfile } from '../profile/profile.js';
import type { SpeculationStats } from '../turn/speculation.js';
import { BENCH_TOOL_LATENCY_MS, benchToolPredictors, benchTools } from './bench-tools.js';
import { type EngineLatency, firstTokenBound, type TurnBound, type TurnShape } from './lower-bound.js';
import { type RecordedCall, RecordingClient, turnShape } from './turn-shape.js';

/** The engine to run against: a fresh one per configuration (a simulator), or a real Ollama. */
export interface BenchmarkEngine {
  url: string;
  close(): Promise<void>;
  /** Embeds texts the way this engine's `/api/embed` does, without a request (fills the store fast). */
  embedLocally?: (texts: string[]) => number[][];
  /**
   * The engine's speeds for a model (the simulator's: `modelLatency(model, profile)` of
   * `@lunar/ollama-sim`). With it, each scenario gets its lower bound; without, it has none.
   */
  latency?: (model: string) => EngineLatency;
}

/** The models `lunar bench` runs by default: the default model and a larger thinking one. */
export const BENCH_MODELS: readonly string[] = Object.freeze([DEFAULT_MODEL, 'qwen3:8b']);

export interface AgentBenchmarkOptions {
  /** Starts the engine for one configuration; called once per configuration, closed after it. */
  engine: () => Promise<BenchmarkEngine>;
  /** Turns per scenario (default 3); the tables show medians. */
  turns?: number;
  /** Also run each optimization alone, on the first model (default true). */
  eachOptimization?: boolean;
  /** Turns per scenario for each optimization alone (default 1). */
  aloneTurns?: number;
  /** Memories in the store searched on every turn (default 2,000). */
  memories?: number;
  /** The models, each run before and after (default `BENCH_MODELS`). */
  models?: readonly string[];
  embedModel?: string;
  /** Called after each turn: turns done so far, turns in all, and what runs (`after: qwen3:8b`). */
  onProgress?: (done: number, total: number, label: string) => void;
  signal?: AbortSignal;
}

export const SCENARIOS = {
  text: 'a question answered in text',
  tools: 'a question that needs two tools',
  repeat: 'the two-tool question asked again',
  'follow-up':
    'another two-tool question in the same conversation, after agent.prepare() while the user typed it',
} as const;
export type ScenarioName = keyof typeof SCENARIOS;
/** The scenarios the model has to answer, so they have a lower bound. */
type BoundedScenario = Exclude<ScenarioName, 'repeat'>;

export interface ConfigurationResult {
  name: string;
  optimizations: Optimizations;
  /**
   * The first turn after the agent started, not in the medians. Both sides start with the
   * embedding model loaded and the chat model not: without the `warmup` and `prefixWarmup`
   * optimizations the chat model loads during this turn; with either, `agent.warmup()` loaded it
   * before (`warmupMs`).
   */
  coldStart: TurnProfile;
  /** Time to ready: how long `agent.warmup()` took at start (0 when `warmup` and `prefixWarmup` are off). */
  warmupMs: number;
  /** Every measured turn's profile, per scenario (after the cold start). */
  turns: Record<ScenarioName, TurnProfile[]>;
  /** Speculative tool calls over every turn of the configuration: started, and taken by the model's calls. */
  speculation: SpeculationStats;
}

/** A scenario's lower bound: what its turn had to do, and the fastest the engine could do it. */
export interface ScenarioBound {
  shape: TurnShape;
  bound: TurnBound;
}

/** One model, before and after (and each optimization alone, for the first model). */
export interface ModelBenchmark {
  model: string;
  before: ConfigurationResult;
  after: ConfigurationResult;
  /** Each optimization alone (the rest off), named after it. */
  alone: ConfigurationResult[];
  /**
   * The lower bound of the first token, for the scenarios the model has to answer (`text`,
   * `tools`, `follow-up`; a repeat may come from the caches), when the engine gave its latency.
   */
  bounds: Partial<Record<BoundedScenario, ScenarioBound>>;
}

export interface AgentBenchmarkResult {
  turnsPerScenario: number;
  memories: number;
  embedModel: string;
  toolLatencyMs: Record<string, number>;
  models: ModelBenchmark[];
}

const OPTION_KEYS = {
  engine: true,
  turns: true,
  eachOptimization: true,
  aloneTurns: true,
  memories: true,
  models: true,
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
// The follow-ups ask of other cities and symbols: with `toolCache` on, a follow-up that asked what
// a later (tools) turn asks would hand that turn cached tool results, and it would not be uncached.
const FOLLOW_UP_CITIES = ['Cairo', 'Quito', 'Perth', 'Riga', 'Hanoi', 'Accra', 'Bogota', 'Tunis'];
const FOLLOW_UP_SYMBOLS = [
  'OSCORP',
  'SOYLENT',
  'VANDELAY',
  'NAKATOMI',
  'ZORG',
  'MASSIVE',
  'CYBERDYNE',
  'WONKA',
];
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

interface Settings {
  engine: () => Promise<BenchmarkEngine>;
  signal: AbortSignal | undefined;
  turns: number;
  memories: number;
  embedModel: string;
}

const toolMs = (name: string) => BENCH_TOOL_LATENCY_MS[name as keyof typeof BENCH_TOOL_LATENCY_MS] ?? 0;

async function runConfiguration(
  name: string,
  model: string,
  optimizations: Optimizations,
  settings: Settings,
  progress: () => void,
  measureBounds = false,
): Promise<{ result: ConfigurationResult; bounds: ModelBenchmark['bounds'] }> {
  const engine = await settings.engine();
  const client = new RecordingClient({ host: engine.url });
  const memory = openAgentMemory({ location: ':memory:', client, embedModel: settings.embedModel });
  const bounds: ModelBenchmark['bounds'] = {};
  try {
    const texts = memoryTexts(settings.memories);
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
    const signalOption = settings.signal ? { signal: settings.signal } : {};
    // The store was filled with the embedding model: it is loaded on both sides before the clock
    // starts, so the first turn measures the chat model's load only.
    await client.embed({ model: settings.embedModel, input: [] }, signalOption);
    const agent = createAgent({
      model,
      client,
      system: SYSTEM_PROMPT,
      tools: benchTools(),
      // A weather report or a stock quote a minute old is fine to reuse, as such APIs allow.
      cacheableTools: { get_weather: 60_000, get_stock_price: 60_000 },
      toolPredictors: benchToolPredictors(),
      memory,
      options: { temperature: 0 },
      optimizations,
    });
    const warmupStarted = performance.now();
    await agent.warmup(signalOption);
    // Whatever agent.warmup() did before the first question counts towards it: a model load
    // (`warmup`) or a prefix evaluation, which loads the model too (`prefixWarmup`).
    const warmupMs =
      optimizations.warmup || optimizations.prefixWarmup ? performance.now() - warmupStarted : 0;
    const coldStart = (await agent.ask(COLD_QUESTION, { sessionId: `${name}-cold`, ...signalOption }))
      .profile;
    progress();
    const turns: Record<ScenarioName, TurnProfile[]> = { text: [], tools: [], repeat: [], 'follow-up': [] };
    const recorded: Partial<Record<BoundedScenario, RecordedCall[]>> = {};
    for (let turn = 0; turn < settings.turns; turn++) {
      const twoTools = `What is the weather in ${CITIES[turn % CITIES.length]} and the stock price of ${SYMBOLS[turn % SYMBOLS.length]}?`;
      const asked: Array<[ScenarioName, string]> = [
        ['text', TEXT_QUESTIONS[turn % TEXT_QUESTIONS.length]!],
        ['tools', twoTools],
        ['repeat', twoTools],
      ];
      for (const [scenario, question] of asked) {
        client.recording = measureBounds && turn === 0 && scenario !== 'repeat';
        const answer = await agent.ask(question, {
          sessionId: `${name}-${scenario}-${turn}`,
          ...signalOption,
        });
        if (client.recording) recorded[scenario as BoundedScenario] = client.take();
        turns[scenario].push(answer.profile);
        progress();
      }
      // The user reads the answer and types a follow-up in the same conversation; the agent is told
      // when they start, and the question comes once what it started is done.
      const conversation = { sessionId: `${name}-tools-${turn}`, ...signalOption };
      await agent.prepare(conversation);
      const followUp = `And the weather in ${FOLLOW_UP_CITIES[turn % FOLLOW_UP_CITIES.length]} and the stock price of ${FOLLOW_UP_SYMBOLS[turn % FOLLOW_UP_SYMBOLS.length]}?`;
      client.recording = measureBounds && turn === 0;
      turns['follow-up'].push((await agent.ask(followUp, conversation)).profile);
      if (client.recording) recorded['follow-up'] = client.take();
      progress();
    }
    // After the measured turns, so that the requests that count tokens change no figure.
    const latency = engine.latency;
    if (latency) {
      for (const [scenario, calls] of Object.entries(recorded) as Array<[BoundedScenario, RecordedCall[]]>) {
        const shape = await turnShape(client, calls, { embeddings: 1, toolMs });
        bounds[scenario] = {
          shape,
          bound: firstTokenBound(shape, latency(model), latency(settings.embedModel)),
        };
      }
    }
    const { speculation } = agent.stats();
    return { result: { name, optimizations, coldStart, warmupMs, turns, speculation }, bounds };
  } finally {
    await memory.store.close();
    await client.close();
    await engine.close();
  }
}

/**
 * Runs the same agent turns unoptimised (every optimization off) and optimised (every one on) on
 * each model, each configuration against a fresh engine, with each scenario's lower bound when
 * the engine gives its latency; and, optionally, each optimization alone on the first model.
 */
export async function runAgentBenchmark(options: AgentBenchmarkOptions): Promise<AgentBenchmarkResult> {
  checkObject('runAgentBenchmark: options', options);
  checkOptionKeys<AgentBenchmarkOptions>('runAgentBenchmark: options', options, OPTION_KEYS, {
    backend: 'engine',
    eachSwitch: 'eachOptimization',
    switchTurns: 'aloneTurns',
    model: 'models',
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
  const models = options.models ?? BENCH_MODELS;
  if (
    !Array.isArray(models) ||
    models.length === 0 ||
    !models.every((model) => typeof model === 'string' && model !== '')
  ) {
    throw new TypeError(
      `runAgentBenchmark: models must be a non-empty array of model names, got ${JSON.stringify(models)}`,
    );
  }
  const embedModel = options.embedModel ?? DEFAULT_EMBED_MODEL;
  const settings: Settings = { engine: options.engine, signal: options.signal, turns, memories, embedModel };
  const names = Object.keys(ALL_ON) as Array<keyof Optimizations>;
  const eachOptimization = options.eachOptimization ?? true;
  const aloneTurns = options.aloneTurns ?? 1;
  if (!Number.isInteger(aloneTurns) || aloneTurns < 1 || aloneTurns > 50) {
    throw new TypeError(
      `runAgentBenchmark: aloneTurns must be an integer from 1 to 50, got ${String(aloneTurns)}`,
    );
  }
  const scenarios = Object.keys(SCENARIOS).length;
  const total =
    models.length * 2 * (turns * scenarios + 1) +
    (eachOptimization ? names.length * (aloneTurns * scenarios + 1) : 0);
  let done = 0;
  const progressFor = (label: string) => () => {
    done += 1;
    options.onProgress?.(done, total, label);
  };
  try {
    const results: ModelBenchmark[] = [];
    for (const [index, model] of models.entries()) {
      const before = await runConfiguration(
        'before',
        model,
        { ...ALL_OFF },
        settings,
        progressFor(`before: ${model}`),
      );
      const after = await runConfiguration(
        'after',
        model,
        { ...ALL_ON },
        settings,
        progressFor(`after: ${model}`),
        true,
      );
      const alone: ConfigurationResult[] = [];
      if (eachOptimization && index === 0) {
        for (const name of names) {
          const only = { ...ALL_OFF, [name]: true };
          const run = await runConfiguration(
            name,
            model,
            only,
            { ...settings, turns: aloneTurns },
            progressFor(`${name} alone: ${model}`),
          );
          alone.push(run.result);
        }
      }
      results.push({ model, before: before.result, after: after.result, alone, bounds: after.bounds });
    }
    return {
      turnsPerScenario: turns,
      memories,
      embedModel,
      toolLatencyMs: { ...BENCH_TOOL_LATENCY_MS },
      models: results,
    };
  } catch (error) {
    if (error instanceof AgentError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new AgentError('AGENT_BENCHMARK_FAILED', `The benchmark failed: ${reason}`, { cause: error });
  }
}

/**
 * The turn whose total is the median one (the lower of the two middle ones for an even count):
 * a real turn, so its stages add up to its total.
 */
export function medianTurn(profiles: readonly TurnProfile[]): TurnProfile {
  if (profiles.length === 0) throw new TypeError('medianTurn: no turns');
  const sorted = [...profiles].sort((a, b) => a.totalMs - b.totalMs);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
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
