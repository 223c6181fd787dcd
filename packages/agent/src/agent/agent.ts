import { LLMCache } from '@lunar/llm-cache';
import {
  ConversationHistory,
  type Embedder,
  type MemorySearchResult,
  type SessionStore,
} from '@lunar/memory';
import { ALL_SCOPES, EmbeddingCache } from '@lunar/memory-cache';
import { type CacheStatus, type KeepAlive, OllamaClient, type WarmupResult } from '@lunar/ollama-stream';
import { ToolRegistry } from '@lunar/tools-parallel';
import type { InputGuard, OutputGuard } from '../guards/guard.js';
import { injectionGuard, inputLengthGuard } from '../guards/input-guards.js';
import { secretRedactionGuard } from '../guards/secret-redactor.js';
import { runTurn, type TurnSetup } from '../turn/turn.js';
import {
  AGENT_CONFIG_HINTS,
  AGENT_CONFIG_KEYS,
  AGENT_MEMORY_CONFIG_KEYS,
  type AgentConfig,
  ALL_ON,
  GUARDS_KEYS,
  type Optimizations,
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
    if (
      options.sessionId !== undefined &&
      (typeof options.sessionId !== 'string' || options.sessionId === '')
    ) {
      throw new TypeError(
        `run: options.sessionId must be a non-empty string, got ${JSON.stringify(options.sessionId)}`,
      );
    }
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
   * Ollama to keep it loaded (`keepAlive`, default 30 minutes). Does nothing when the `warmup`
   * optimization is off. Rejects with an AgentError: `AGENT_MODEL_NOT_FOUND` (with `model` and
   * `pullCommand`), `AGENT_OLLAMA_UNREACHABLE`, `AGENT_LLM_FAILED` or `AGENT_ABORTED`.
   */
  async warmup(options: WarmupOptions = {}): Promise<WarmupResult | undefined> {
    checkObject('warmup: options', options);
    checkOptionKeys<WarmupOptions>('warmup: options', options, { signal: true });
    if (!this.optimizations.warmup) return undefined;
    const keepAlive = this.#config.keepAlive ?? '30m';
    const signalOption = options.signal === undefined ? {} : { signal: options.signal };
    const embedModel = this.#config.memory?.embedModel;
    try {
      const [result] = await Promise.all([
        this.client.warmup(this.model, { keepAlive, ...signalOption }),
        embedModel
          ? this.client.embed({ model: embedModel, input: [], keep_alive: keepAlive }, signalOption)
          : undefined,
      ]);
      return result;
    } catch (error) {
      throw toAgentError(error, options.signal, this.model);
    }
  }

  stats(): AgentStats {
    return {
      llmCache: this.llmCache.stats(),
      memoryCache: this.#config.memory?.cache?.stats(),
      embeddingCache: this.embeddingCache.stats(),
      sessions: this.history instanceof ConversationHistory ? this.history.sessions : undefined,
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

export function createAgent(config: AgentConfig): Agent {
  return new Agent(config);
}
