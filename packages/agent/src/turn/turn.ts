import type { LLMCache } from '@lunar/llm-cache';
import type { SessionStore } from '@lunar/memory';
import type { KeepAlive, Message, ModelOptions, OllamaClient, Tool } from '@lunar/ollama-stream';
import type { ToolRegistry } from '@lunar/tools-parallel';
import { context as otelContext } from '@opentelemetry/api';
import type { Optimizations } from '../agent/agent-config.js';
import { AgentError, toAgentError } from '../agent/errors.js';
import type { AgentEvent, ErrorEvent } from '../agent/events.js';
import type { ToolResultCache } from '../agent/tool-cache.js';
import type { InputGuard, OutputGuard } from '../guards/guard.js';
import type { TurnProfile } from '../profile/profile.js';
import { Profiler } from '../profile/profiler.js';
import { recordTurnSpans } from '../profile/turn-spans.js';
import { checkMessage, inputStage, refusal } from './input-stage.js';
import { type MemoryFound, type RunningSearch, startMemorySearch } from './memory-stage.js';
import { modelRound } from './model-round.js';
import { chatRequestOf } from './next-turn.js';
import { OutputFilter } from './output-stage.js';
import { BackgroundPrefill } from './prefill.js';
import { promptStage } from './prompt-stage.js';
import { type SpeculationStats, type ToolPredictor, ToolSpeculation } from './speculation.js';
import { ToolRound } from './tool-round.js';
import { TurnSignals } from './turn-signals.js';

/** What every turn of an agent shares: its model, tools, guards, caches and limits. */
export interface TurnSetup {
  model: string;
  client: OllamaClient;
  llmCache: LLMCache;
  system: string | undefined;
  registry: ToolRegistry;
  /** The same tools, with the cacheable ones answered from recent results. */
  cachedRegistry: ToolRegistry;
  toolCache: ToolResultCache;
  /** Predictors of read-only tools' calls, by tool name (`toolPredictors`). */
  toolPredictors: ReadonlyMap<string, ToolPredictor>;
  /** Where speculative calls are counted. */
  speculation: SpeculationStats;
  ollamaTools: readonly Tool[] | undefined;
  options: ModelOptions | undefined;
  keepAlive: KeepAlive;
  maxToolRounds: number;
  toolConcurrency: number;
  toolTimeoutMs: number;
  /** Each session's conversation between turns. */
  history: SessionStore;
  inputGuards: readonly InputGuard[];
  outputGuards: readonly OutputGuard[];
  now: () => Date;
  searchMemory(
    text: string,
    optimizations: Optimizations,
    signal: AbortSignal,
  ): Promise<MemoryFound | undefined>;
}

export interface TurnInput {
  message: string;
  sessionId: string;
  optimizations: Optimizations;
  signal: AbortSignal | undefined;
}

function errorEvent(failure: AgentError, profile: TurnProfile): ErrorEvent {
  return {
    type: 'error',
    code: failure.code,
    message: failure.message,
    ...(failure.model === undefined ? {} : { model: failure.model }),
    ...(failure.pullCommand === undefined ? {} : { pullCommand: failure.pullCommand }),
    profile,
  };
}

/**
 * One user turn through the pipeline, as events: input guards (with the memory search beside them
 * when `parallelGuards` is on), memory search, prompt, then model rounds and tool rounds until the
 * model answers without calling a tool, the output guards applied to the stream all along.
 */
export async function* runTurn(
  setup: TurnSetup,
  input: TurnInput,
): AsyncGenerator<AgentEvent, void, undefined> {
  const { optimizations, sessionId } = input;
  const profiler = new Profiler();
  // The turn's spans go under whatever span was current when the turn started.
  const parent = otelContext.active();
  const finish = (error?: AgentError): TurnProfile => {
    const profile = profiler.finish(setup.model);
    const temperature = setup.options?.temperature;
    recordTurnSpans(profile, {
      model: setup.model,
      sessionId,
      parent,
      startedAt: profiler.startedAt,
      ...(typeof temperature === 'number' ? { temperature } : {}),
      ...(error ? { error: { code: error.code, message: error.message } } : {}),
    });
    return profile;
  };
  const signals = new TurnSignals(input.signal);
  const { signal } = signals;
  let tools: ToolRound | undefined;
  let speculation: Promise<ToolSpeculation> | undefined;
  const prefills: BackgroundPrefill[] = [];
  try {
    checkMessage(input.message);
    signal.throwIfAborted();

    const memory = {
      search: (text: string, branch: AbortSignal) => setup.searchMemory(text, optimizations, branch),
      profiler,
      signals,
    };
    const guardsTimer = profiler.stage('input-guards');
    let search: RunningSearch | undefined = optimizations.parallelGuards
      ? startMemorySearch(memory, input.message)
      : undefined;
    const verdict = yield* inputStage(
      { guards: setup.inputGuards, sessionId, signal },
      input.message,
      guardsTimer,
    );
    if (verdict.refused) {
      const refused = refusal(verdict);
      search?.drop(refused);
      throw refused;
    }
    const { text } = verdict;
    if (text !== input.message) {
      // A guard rewrote the message: the search made on the original one is dropped.
      search?.drop(new AgentError('AGENT_ABORTED', 'the message was rewritten'));
      search = undefined;
    }
    search ??= startMemorySearch(memory, text);
    const registry = optimizations.toolCache ? setup.cachedRegistry : setup.registry;
    if (optimizations.speculativeTools && setup.toolPredictors.size > 0) {
      speculation = ToolSpeculation.start(
        registry,
        setup.toolPredictors,
        text,
        setup.speculation,
        signal,
        profiler,
      );
    }
    const memories = yield* search.finish();

    const messages = yield* promptStage(
      {
        system: setup.system,
        history: setup.history,
        sessionId,
        date: setup.now(),
        stablePrefix: optimizations.stablePrefix,
        profiler,
      },
      text,
      memories,
    );

    const turnMessages: Message[] = [{ role: 'user', content: text }];
    const output = new OutputFilter(setup.outputGuards, profiler);
    const request = chatRequestOf(setup, optimizations);
    for (let round = 1; ; round++) {
      const roundRegistry = round === 1 && speculation ? (await speculation).registry(registry) : registry;
      const current =
        registry.size > 0
          ? new ToolRound({
              round,
              registry: roundRegistry,
              toolCache: setup.toolCache,
              optimizations,
              concurrency: setup.toolConcurrency,
              timeoutMs: setup.toolTimeoutMs,
              signal,
              profiler,
              output,
            })
          : undefined;
      tools = current;
      const { result, assistant } = yield* modelRound(
        {
          round,
          client: setup.client,
          cache: optimizations.llmCache ? setup.llmCache : undefined,
          request,
          streaming: optimizations.streaming,
          signal,
          profiler,
          output,
          onToolCall: (call) => current?.arrived(call) ?? call.id!,
        },
        messages,
      );
      messages.push(assistant);
      turnMessages.push(assistant);
      if (result.toolCalls.length === 0 || !current) break;
      profiler.toolCalls(result.toolCalls.length);
      if (round > setup.maxToolRounds) {
        throw new AgentError(
          'AGENT_MAX_TOOL_ROUNDS',
          `The model was still calling tools after ${setup.maxToolRounds} rounds; the turn stopped. Ask a narrower question or raise maxToolRounds.`,
        );
      }
      if (
        optimizations.prefillAhead &&
        (result.cache === 'miss' || result.cache === 'bypass' || result.cache === 'off') &&
        current.waiting(result)
      ) {
        // Ollama evaluates the next call's prompt up to the tool results while the tools run.
        prefills.push(new BackgroundPrefill(setup.client, request, messages));
      }
      const toolMessages = yield* current.run(result);
      if (round === 1) (await speculation)?.discard('the model did not make this call');
      tools = undefined;
      messages.push(...toolMessages);
      turnMessages.push(...toolMessages);
    }

    yield output.record();
    await setup.history.append(sessionId, turnMessages);
    yield { type: 'done', text: output.shown, profile: finish() };
  } catch (error) {
    const failure = toAgentError(error, signal, setup.model);
    yield errorEvent(failure, finish(failure));
  } finally {
    // Whatever still runs for this turn (a memory search and its embedding request, a model call,
    // tools) stops now: the turn ended, or its consumer left the loop.
    signals.end(new AgentError('AGENT_ABORTED', 'the turn ended'));
    tools?.cancel('the turn ended');
    for (const running of prefills) running.abort('the turn ended');
    void speculation?.then((started) => started.discard('the turn ended'));
  }
}
