import { LLMCache } from '@lunar/llm-cache';
import {
  ConversationHistory,
  type Embedder,
  type MemorySearchResult,
  type SessionStore,
} from '@lunar/memory';
import { ALL_SCOPES, EmbeddingCache } from '@lunar/memory-cache';
import {
  type CacheStatus,
  type KeepAlive,
  type Message,
  OllamaClient,
  type WarmupResult,
} from '@lunar/ollama-stream';
import { ToolRegistry } from '@lunar/tools-parallel';
import type { InputGuard, OutputGuard } from '../guards/guard.js';
import { injectionGuard, inputLengthGuard } from '../guards/input-guards.js';
import { secretRedactionGuard } from '../guards/secret-redactor.js';
import { prefillNextTurn } from '../turn/next-turn.js';
import type { SpeculationStats, ToolPredictor } from '../turn/speculation.js';
import { runTurn, type TurnSetup } from '../turn/turn.js';
import {
  AGENT_CONFIG_HINTS,
  AGENT_CONFIG_KEYS,
  AGENT_MEMORY_CONFIG_KEYS,
  type AgentConfig,
  ALL_ON,
  GUARDS_KEYS,
  type Optimizations,
  PREPARE_OPTIONS_KEYS,
  type PrepareOptions,
  positiveInteger,
  RUN_OPTIONS_KEYS,
  type RunOptions,
  resolveOptimizations,
} from './agent-config.js';
import { checkObject, checkOptionKeys } from './check-options.js';
import { AgentError, toAgentError } from './errors.js';
import type { AgentAnswer, AgentEvent, ToolResultEvent } from './events.js';
import { cachedEmbedder, ollamaEmbedder } from './ollama-embedder.js';
import { ToolResultCache } from './tool-cache.js';

/** Options of `agent.warmup()`. */
export interface WarmupOptions {
  signal?: AbortSignal;
}

export interface AgentStats {
  llmCache: ReturnType<LLMCache['stats']>;
  memoryCache: ReturnType<NonNullable<NonNullable<AgentConfig['memory']>['cache']>['stats']> | undefined;
  embeddingCache: ReturnType<EmbeddingCache['stats']>;
  /** Sessions kept in this process; `undefined` when a shared session store holds them. */
  sessions: number | undefined;
  /** Speculative tool calls started and used (the hit rate is `used / started`). */
  speculation: SpeculationStats;
}

/**
 * An agent: one model, its tools, memory, guards and caches. `run()` takes one user turn through
 * the pipeline and yields its events as they happen; `ask()` collects them.
 */
export class Agent {
  readonly model: string;
  readonly client: OllamaClient;
  /** Each session's conversation: `config.sessions`, else a `ConversationHistory` in this process. */
  readonly history: SessionStore;
  readonly llmCache: LLMCache;
  readonly embeddingCache: EmbeddingCache;
  readonly optimizations: Readonly<Optimizations>;
  readonly #config: AgentConfig;
  readonly #ownsClient: boolean;
  readonly #setup: TurnSetup;
  readonly #queryEmbedder: Embedder | undefined;
  readonly #speculation: SpeculationStats = { started: 0, used: 0 };
  readonly #cachedQueryEmbedder: Embedder | undefined;

  constructor(config: AgentConfig) {
    checkObject('createAgent: config', config);
    checkOptionKeys('createAgent', config, AGENT_CONFIG_KEYS, AGENT_CONFIG_HINTS);
    if (typeof config.model !== 'string' || config.model === '') {
      throw new TypeError(
        `createAgent: model must be a non-empty string, got ${JSON.stringify(config.model)}`,
      );
    }
    if (config.client !== undefined && !(config.client instanceof OllamaClient)) {
      throw new TypeError('createAgent: client must be an OllamaClient from @lunar/ollama-stream');
    }
    if (config.system !== undefined && typeof config.system !== 'string') {
      throw new TypeError(`createAgent: system must be a string, got ${typeof config.system}`);
    }
    if (config.memory !== undefined) {
      checkObject('createAgent: memory', config.memory);
      checkOptionKeys('createAgent: memory', config.memory, AGENT_MEMORY_CONFIG_KEYS);
      if (typeof config.memory.store?.search !== 'function') {
        throw new TypeError('createAgent: memory.store must be a MemoryStore');
      }
    }
    if (config.guards !== undefined) {
      checkObject('createAgent: guards', config.guards);
      checkOptionKeys('createAgent: guards', config.guards, GUARDS_KEYS);
    }
    this.#config = config;
    this.model = config.model;
    this.optimizations = Object.freeze(
      resolveOptimizations(ALL_ON, config.optimizations, 'createAgent: optimizations'),
    );
    const maxToolRounds = positiveInteger('createAgent: maxToolRounds', config.maxToolRounds, 4);
    const toolConcurrency = positiveInteger('createAgent: toolConcurrency', config.toolConcurrency, 8);
    const toolTimeoutMs = positiveInteger('createAgent: toolTimeoutMs', config.toolTimeoutMs, 30_000);
    const memoryK = positiveInteger('createAgent: memory.k', config.memory?.k, 4);
    const tools = [...(config.tools ?? [])];
    const registry = new ToolRegistry(tools);
    const toolCache = new ToolResultCache();
    const cacheable = config.cacheableTools ?? {};
    for (const name of Object.keys(cacheable)) {
      if (!registry.has(name))
        throw new TypeError(`createAgent: cacheableTools names ${name}, which is not a tool`);
    }
    const toolPredictors = checkToolPredictors(config.toolPredictors, registry);
    const cachedRegistry = new ToolRegistry(
      tools.map((tool) =>
        cacheable[tool.name] === undefined ? tool : toolCache.wrap(tool, cacheable[tool.name]!),
      ),
    );
    this.#ownsClient = config.client === undefined;
    this.client = config.client ?? new OllamaClient(config.host === undefined ? {} : { host: config.host });
    this.history = config.sessions ?? new ConversationHistory(config.history);
    this.llmCache = config.llmCache ?? new LLMCache();
    this.embeddingCache = config.embeddingCache ?? new EmbeddingCache();
    const embedModel = config.memory?.embedModel;
    this.#queryEmbedder = embedModel ? ollamaEmbedder(this.client, embedModel) : undefined;
    this.#cachedQueryEmbedder =
      this.#queryEmbedder && embedModel
        ? cachedEmbedder(this.#queryEmbedder, this.embeddingCache, embedModel)
        : undefined;
    const inputGuards: readonly InputGuard[] = config.guards?.input ?? [inputLengthGuard(), injectionGuard()];
    const outputGuards: readonly OutputGuard[] = config.guards?.output ?? [secretRedactionGuard()];
    const keepAlive: KeepAlive = config.keepAlive ?? '30m';
    const ollamaTools = registry.size > 0 ? registry.toOllamaTools() : undefined;
    const memory = config.memory;
    this.#setup = {
      model: config.model,
      client: this.client,
      llmCache: this.llmCache,
      system: config.system,
      registry,
      cachedRegistry,
      toolCache,
      toolPredictors,
      speculation: this.#speculation,
      ollamaTools,
      options: config.options,
      keepAlive,
      maxToolRounds,
      toolConcurrency,
      toolTimeoutMs,
      history: this.history,
      inputGuards,
      outputGuards,
      now: config.now ?? (() => new Date()),
      searchMemory: memory
        ? (text, optimizations, signal) => this.#searchMemory(text, optimizations, signal, memoryK)
        : async () => undefined,
    };
  }

  /** One user turn: an async iterable of its events, ending with `done` or `error`. */
  run(message: string, options: RunOptions = {}): AsyncGenerator<AgentEvent, void, undefined> {
    checkObject('run: options', options);
    checkOptionKeys('run: options', options, RUN_OPTIONS_KEYS);
    const optimizations = resolveOptimizations(
      this.optimizations,
      options.optimizations,
      'run: options.optimizations',
    );
    if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
      throw new TypeError('run: options.signal must be an AbortSignal');
    }
    checkSessionId('run', options.sessionId);
    return runTurn(this.#setup, {
      message,
      sessionId: options.sessionId ?? 'default',
      optimizations,
      signal: options.signal,
    });
  }

  /** One user turn, collected: resolves to the answer, or rejects with an AgentError. */
  async ask(message: string, options: RunOptions = {}): Promise<AgentAnswer> {
    const toolResults: ToolResultEvent[] = [];
    for await (const event of this.run(message, options)) {
      if (event.type === 'tool-result') toolResults.push(event);
      else if (event.type === 'done') return { text: event.text, toolResults, profile: event.profile };
      else if (event.type === 'error') {
        const { model, pullCommand } = event;
        throw new AgentError(event.code, event.message, {
          ...(model === undefined ? {} : { model }),
          ...(pullCommand === undefined ? {} : { pullCommand }),
        });
      }
    }
    throw new AgentError('AGENT_INTERNAL', 'The turn ended without a done or error event.');
  }

  /**
   * Loads the model (and the embedding model) so the first turn does not pay the load, and asks
   * Ollama to keep it loaded (`keepAlive`, default 30 minutes); with `prefixWarmup`, then has it
   * evaluate what a new conversation's first call starts with (system prompt, tool definitions).
   * Does nothing when both optimizations are off. Rejects with an AgentError:
   * `AGENT_MODEL_NOT_FOUND` (with `model` and `pullCommand`), `AGENT_OLLAMA_UNREACHABLE`,
   * `AGENT_LLM_FAILED` or `AGENT_ABORTED`.
   */
  async warmup(options: WarmupOptions = {}): Promise<WarmupResult | undefined> {
    checkObject('warmup: options', options);
    checkOptionKeys<WarmupOptions>('warmup: options', options, { signal: true });
    const { warmup, prefixWarmup } = this.optimizations;
    let result: WarmupResult | undefined;
    if (warmup) {
      const keepAlive = this.#config.keepAlive ?? '30m';
      const signalOption = options.signal === undefined ? {} : { signal: options.signal };
      const embedModel = this.#config.memory?.embedModel;
      try {
        [result] = await Promise.all([
          this.client.warmup(this.model, { keepAlive, ...signalOption }),
          embedModel
            ? this.client.embed({ model: embedModel, input: [], keep_alive: keepAlive }, signalOption)
            : undefined,
        ]);
      } catch (error) {
        throw toAgentError(error, options.signal, this.model);
      }
    }
    if (prefixWarmup) await this.#prefillNextTurn([], options.signal);
    return result;
  }

  /**
   * The user is about to write in `sessionId` (call it when the input opens, or after an answer
   * is shown): with the `prefixWarmup` optimization, Ollama evaluates now, while they type, what
   * that session's next turn starts with (system prompt, history, tool definitions), loading the
   * model again if it was unloaded, so the turn evaluates little more than the question. Resolves
   * when Ollama is done (at once when the optimization is off); a failure is not reported here
   * (the turn will meet it); aborting `signal` stops it.
   */
  async prepare(options: PrepareOptions = {}): Promise<void> {
    checkObject('prepare: options', options);
    checkOptionKeys('prepare: options', options, PREPARE_OPTIONS_KEYS);
    checkSessionId('prepare', options.sessionId);
    if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
      throw new TypeError('prepare: options.signal must be an AbortSignal');
    }
    if (!this.optimizations.prefixWarmup) return;
    const history = await this.history.messages(options.sessionId ?? 'default');
    await this.#prefillNextTurn(history, options.signal);
  }

  #prefillNextTurn(history: readonly Message[], signal: AbortSignal | undefined): Promise<void> {
    return prefillNextTurn(this.#setup, this.optimizations, history, signal ?? NEVER);
  }

  stats(): AgentStats {
    return {
      llmCache: this.llmCache.stats(),
      memoryCache: this.#config.memory?.cache?.stats(),
      embeddingCache: this.embeddingCache.stats(),
      sessions: this.history instanceof ConversationHistory ? this.history.sessions : undefined,
      speculation: { ...this.#speculation },
    };
  }

  /** Closes the Ollama client when the agent made it. */
  async close(): Promise<void> {
    if (this.#ownsClient) await this.client.close();
  }

  async #searchMemory(
    text: string,
    optimizations: Optimizations,
    signal: AbortSignal,
    k: number,
  ): Promise<{ results: MemorySearchResult[]; cache: CacheStatus }> {
    const memory = this.#config.memory!;
    const embedder = optimizations.embeddingCache ? this.#cachedQueryEmbedder : this.#queryEmbedder;
    const search = (query: string, _params: unknown, call: { signal: AbortSignal }) =>
      memory.store.search(query, {
        k,
        signal: call.signal,
        ...(memory.scope === undefined ? {} : { scope: memory.scope }),
        ...(embedder ? { embedder } : {}),
      });
    if (optimizations.memoryCache && memory.cache) {
      // Another server's write committed before this turn must reach the cache before it answers.
      await memory.store.syncInvalidations();
      const served = await memory.cache.searchWithStatus(text, search, {
        scope: memory.scope ?? ALL_SCOPES,
        params: { k },
        signal,
      });
      return { results: served.results, cache: served.status };
    }
    return { results: await search(text, { k }, { signal }), cache: memory.cache ? 'bypass' : 'off' };
  }
}

/** A session id is a non-empty string, when given. */
function checkSessionId(method: string, sessionId: unknown): void {
  if (sessionId !== undefined && (typeof sessionId !== 'string' || sessionId === '')) {
    throw new TypeError(
      `${method}: options.sessionId must be a non-empty string, got ${JSON.stringify(sessionId)}`,
    );
  }
}

/** A signal that never aborts. */
const NEVER = new AbortController().signal;

/** Checks `toolPredictors`: functions, each for a read-only tool of the agent. */
function checkToolPredictors(
  predictors: AgentConfig['toolPredictors'],
  registry: ToolRegistry,
): ReadonlyMap<string, ToolPredictor> {
  if (predictors === undefined) return new Map();
  checkObject('createAgent: toolPredictors', predictors);
  for (const [name, predict] of Object.entries(predictors)) {
    const tool = registry.get(name);
    if (tool === undefined) {
      throw new TypeError(`createAgent: toolPredictors names ${name}, which is not a tool`);
    }
    if (!tool.readOnly) {
      throw new TypeError(
        `createAgent: toolPredictors names ${name}, which is not readOnly; only a tool without side effects may start before the model asks for it`,
      );
    }
    if (typeof predict !== 'function') {
      throw new TypeError(`createAgent: toolPredictors.${name} must be a function, got ${typeof predict}`);
    }
  }
  return new Map(Object.entries(predictors));
}

export function createAgent(config: AgentConfig): Agent {
  return new Agent(config);
}
