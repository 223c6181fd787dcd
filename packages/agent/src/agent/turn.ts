import type { LLMCache } from '@lunar/llm-cache';
import type { MemorySearchResult, SessionStore } from '@lunar/memory';
import type { KeepAlive, Message, ModelOptions, OllamaClient, Tool } from '@lunar/ollama-stream';
import { type ToolRegistry, type ToolResult, ToolRunner, toToolMessage } from '@lunar/tools-parallel';
import type { InputGuard, OutputGuard, OutputGuardStream } from '../guards/guard.js';
import type { CacheStatus, StageRecord } from '../profile/profile.js';
import { Profiler } from '../profile/profiler.js';
import type { Optimizations } from './agent-config.js';
import { AgentError, toAgentError } from './errors.js';
import type { AgentEvent } from './events.js';
import { llmRound } from './llm-round.js';
import { buildPrompt } from './prompt.js';
import type { ToolResultCache } from './tool-cache.js';

/** What a turn needs from its agent. */
export interface TurnContext {
  model: string;
  client: OllamaClient;
  llmCache: LLMCache;
  system: string | undefined;
  registry: ToolRegistry;
  /** The same tools, with the cacheable ones answered from recent results. */
  cachedRegistry: ToolRegistry;
  toolCache: ToolResultCache;
  ollamaTools: Tool[] | undefined;
  options: ModelOptions | undefined;
  keepAlive: KeepAlive;
  maxToolRounds: number;
  toolConcurrency: number;
  toolTimeoutMs: number;
  history: SessionStore;
  inputGuards: readonly InputGuard[];
  outputGuards: readonly OutputGuard[];
  now: () => Date;
  searchMemory(
    text: string,
    switches: Optimizations,
    signal: AbortSignal,
  ): Promise<{ results: MemorySearchResult[]; cache: CacheStatus } | undefined>;
}

export interface TurnInput {
  message: string;
  sessionId: string;
  switches: Optimizations;
  signal: AbortSignal | undefined;
}

const stage = (record: StageRecord): AgentEvent => ({ type: 'stage', stage: record });
const ignore = (): void => {};

async function checkInput(
  guards: readonly InputGuard[],
  message: string,
  sessionId: string,
  signal: AbortSignal,
) {
  let text = message;
  const rewrittenBy: string[] = [];
  for (const guard of guards) {
    const verdict = await guard.check(text, { sessionId, signal });
    if (verdict.action === 'refuse') {
      return { refused: `${verdict.reason}`, guard: guard.name, text, rewrittenBy };
    }
    if (verdict.action === 'rewrite') {
      text = verdict.text;
      rewrittenBy.push(guard.name);
    }
  }
  return { refused: undefined, guard: undefined, text, rewrittenBy };
}

/** Output guards chained: each one's released text feeds the next. Times itself. */
class OutputFilter {
  readonly #streams: OutputGuardStream[];
  readonly #profiler: Profiler;
  spentMs = 0;

  constructor(guards: readonly OutputGuard[], profiler: Profiler) {
    this.#streams = guards.map((guard) => guard.createStream());
    this.#profiler = profiler;
  }

  push(text: string): string {
    const started = this.#profiler.now();
    let out = text;
    for (const stream of this.#streams) out = stream.push(out);
    this.spentMs += this.#profiler.now() - started;
    return out;
  }

  flush(): string {
    const started = this.#profiler.now();
    let out = '';
    for (const stream of this.#streams) out = stream.push(out) + stream.flush();
    this.spentMs += this.#profiler.now() - started;
    return out;
  }

  get rewrites(): number {
    return this.#streams.reduce((sum, stream) => sum + stream.rewrites, 0);
  }
}

/** One user turn through the pipeline, as events. */
export async function* runTurn(
  context: TurnContext,
  input: TurnInput,
): AsyncGenerator<AgentEvent, void, undefined> {
  const { switches, sessionId } = input;
  const profiler = new Profiler();
  const controller = new AbortController();
  const onAbort = () => controller.abort(input.signal?.reason);
  if (input.signal?.aborted) onAbort();
  else input.signal?.addEventListener('abort', onAbort, { once: true });
  const signal = controller.signal;
  let runner: ToolRunner | undefined;
  let round: AsyncGenerator<unknown, unknown> | undefined;
  const searchController = new AbortController();
  const stopSearch = () => searchController.abort(signal.reason);
  signal.addEventListener('abort', stopSearch, { once: true });

  try {
    if (typeof input.message !== 'string' || input.message.trim() === '') {
      throw new AgentError('invalid-input', 'The message is empty: type a question.');
    }
    signal.throwIfAborted();

    // Input guards, with the memory search beside them when `parallelGuards` is on.
    const guardsTimer = profiler.stage('input-guards');
    let searchTimer = switches.parallelGuards ? profiler.stage('memory-search') : undefined;
    let search = searchTimer
      ? context.searchMemory(input.message, switches, searchController.signal)
      : undefined;
    search?.catch(ignore);
    const verdict = await checkInput(context.inputGuards, input.message, sessionId, signal);
    yield stage(
      guardsTimer.end({
        detail: {
          guards: context.inputGuards.length,
          verdict: verdict.refused ? 'refuse' : verdict.rewrittenBy.length ? 'rewrite' : 'allow',
        },
      }),
    );
    if (verdict.refused !== undefined) {
      searchController.abort(new AgentError('guard-refused', verdict.refused));
      throw new AgentError('guard-refused', `Refused by the ${verdict.guard} guard: ${verdict.refused}`);
    }
    const text = verdict.text;
    if (text !== input.message) {
      // A guard rewrote the message: the search made on the original one is discarded.
      searchController.abort(new AgentError('aborted', 'the message was rewritten'));
      search = undefined;
    }
    if (!search) {
      searchTimer = profiler.stage('memory-search');
      const own = new AbortController();
      signal.addEventListener('abort', () => own.abort(signal.reason), { once: true });
      search = context.searchMemory(text, switches, own.signal);
    }
    const found = await search;
    const memories = found?.results ?? [];
    yield stage(
      searchTimer!.end({
        cache: found?.cache ?? 'off',
        detail: found ? { results: memories.length } : { skipped: 'no memory store' },
      }),
    );

    const promptTimer = profiler.stage('build-prompt');
    const history = (await context.history.messages(sessionId)) as Message[];
    const messages = buildPrompt({
      system: context.system,
      history,
      memories,
      message: text,
      date: context.now(),
      stablePrefix: switches.stablePrefix,
    });
    yield stage(
      promptTimer.end({
        detail: {
          messages: messages.length,
          historyMessages: history.length,
          stablePrefix: switches.stablePrefix,
        },
      }),
    );

    const turnMessages: Message[] = [{ role: 'user', content: text }];
    const output = new OutputFilter(context.outputGuards, profiler);
    let answer = '';
    for (let roundNumber = 1; ; roundNumber++) {
      const llmTimer = profiler.stage('llm', roundNumber);
      const starts = new Map<string, number>();
      const registry = switches.toolCache ? context.cachedRegistry : context.registry;
      runner =
        registry.size > 0
          ? new ToolRunner(registry, {
              concurrency: switches.parallelTools ? context.toolConcurrency : 1,
              timeoutMs: context.toolTimeoutMs,
              signal,
              onStart: (started) => starts.set(started.callId, profiler.now()),
            })
          : undefined;
      const call = llmRound({
        client: context.client,
        cache: switches.llmCache ? context.llmCache : undefined,
        request: {
          model: context.model,
          messages,
          ...(context.ollamaTools ? { tools: context.ollamaTools } : {}),
          ...(context.options ? { options: context.options } : {}),
          ...(switches.warmup ? { keep_alive: context.keepAlive } : {}),
        },
        streaming: switches.streaming,
        signal,
      });
      round = call;
      let step = await call.next();
      const eagerStart = roundNumber;
      while (!step.done) {
        const event = step.value;
        if (event.type === 'text') {
          const shown = output.push(event.text);
          if (shown) {
            profiler.firstToken();
            answer += shown;
            yield { type: 'text-delta', text: shown };
          }
        } else {
          const fn = event.call.function;
          const args = fn?.arguments;
          // llmRound gives every call an id, so a tool-call and its tool-result share it.
          const callId = runner && switches.eagerTools ? runner.add(event.call) : event.call.id!;
          yield { type: 'tool-call', round: eagerStart, callId, name: fn?.name ?? '', arguments: args };
        }
        step = await call.next();
      }
      round = undefined;
      const result = step.value;
      const rest = output.flush();
      if (rest) {
        profiler.firstToken();
        answer += rest;
        yield { type: 'text-delta', text: rest };
      }
      const metrics = result.metrics;
      const reachedOllama = result.cache === 'miss' || result.cache === 'bypass' || result.cache === 'off';
      const ms = (nanoseconds: number | undefined) => (nanoseconds ?? 0) / 1e6;
      profiler.round({
        reachedOllama,
        inputTokens: metrics?.prompt_eval_count ?? 0,
        outputTokens: metrics?.eval_count ?? 0,
        ollama: {
          loadMs: ms(metrics?.load_duration),
          promptEvalMs: ms(metrics?.prompt_eval_duration),
          evalMs: ms(metrics?.eval_duration),
          totalMs: ms(metrics?.total_duration),
        },
      });
      yield stage(
        llmTimer.end({
          cache: result.cache,
          detail: {
            timeToFirstTokenMs: result.firstChunkMs,
            doneReason: result.doneReason,
            toolCalls: result.toolCalls.length,
            promptTokens: metrics?.prompt_eval_count,
            outputTokens: metrics?.eval_count,
            ollamaLoadMs: ms(metrics?.load_duration),
            ollamaPromptEvalMs: ms(metrics?.prompt_eval_duration),
            ollamaEvalMs: ms(metrics?.eval_duration),
            streaming: switches.streaming,
          },
        }),
      );

      const parseTimer = profiler.stage('parse-tool-calls', roundNumber);
      const assistant: Message = { role: 'assistant', content: result.content };
      if (result.toolCalls.length > 0) assistant.tool_calls = result.toolCalls;
      messages.push(assistant);
      turnMessages.push(assistant);
      yield stage(parseTimer.end({ detail: { calls: result.toolCalls.length } }));
      if (result.toolCalls.length === 0 || !runner) break;
      profiler.toolCalls(result.toolCalls.length);
      if (roundNumber > context.maxToolRounds) {
        throw new AgentError(
          'max-tool-rounds',
          `The model was still calling tools after ${context.maxToolRounds} rounds; the turn stopped. Ask a narrower question or raise maxToolRounds.`,
        );
      }

      const toolsCalledAt = profiler.now();
      if (!switches.eagerTools) for (const toolCall of result.toolCalls) runner.add(toolCall);
      if (result.doneReason === 'length')
        runner.cancel("the model's answer was cut off (done_reason: length)");
      else runner.commit();
      for await (const toolResult of runner) {
        yield toolResultEvent(toolResult, roundNumber, context.outputGuards);
      }
      const results = await runner.results();
      runner = undefined;
      const firstStart = Math.min(toolsCalledAt, ...starts.values());
      const fromCache = results.filter((toolResult) =>
        context.toolCache.servedFromCache(toolResult.callId),
      ).length;
      yield stage(
        profiler.record('tools', firstStart, profiler.now() - firstStart, {
          round: roundNumber,
          cache: !switches.toolCache ? 'off' : fromCache === results.length ? 'hit' : 'miss',
          detail: {
            fromCache,
            calls: results.length,
            failed: results.filter((toolResult) => !toolResult.ok).length,
            startedEarly: [...starts.values()].filter((at) => at < toolsCalledAt).length,
            parallel: switches.parallelTools,
          },
        }),
      );
      for (const toolResult of results) {
        const toolMessage = toToolMessage(toolResult) as Message;
        messages.push(toolMessage);
        turnMessages.push(toolMessage);
      }
    }

    yield stage(
      // The guards ran piecewise on the stream; the bar shows their total time, ending with the turn.
      profiler.record('output-guards', Math.max(0, profiler.now() - output.spentMs), output.spentMs, {
        detail: { guards: context.outputGuards.length, rewrites: output.rewrites },
      }),
    );
    await context.history.append(sessionId, turnMessages);
    yield { type: 'done', text: answer, profile: profiler.finish(context.model) };
  } catch (error) {
    const failure = toAgentError(error, signal);
    yield {
      type: 'error',
      code: failure.code,
      message: failure.message,
      profile: profiler.finish(context.model),
    };
  } finally {
    // Whatever is still running for this turn (a memory search and its embedding request, a model
    // call, tools) stops now: the turn ended, or its consumer left the loop.
    if (!signal.aborted) controller.abort(new AgentError('aborted', 'the turn ended'));
    input.signal?.removeEventListener('abort', onAbort);
    signal.removeEventListener('abort', stopSearch);
    runner?.cancel('the turn ended');
    await round?.return(undefined).catch(ignore);
  }
}

/**
 * A tool result as the user sees it: its output through the output guards (the model still reads
 * the output as the tool gave it).
 */
function toolResultEvent(result: ToolResult, round: number, guards: readonly OutputGuard[]): AgentEvent {
  let output = result.output;
  for (const guard of guards) {
    const stream = guard.createStream();
    output = stream.push(output) + stream.flush();
  }
  return {
    type: 'tool-result',
    round,
    callId: result.callId,
    name: result.name,
    ok: result.ok,
    output,
    durationMs: result.durationMs,
    ...(result.ok ? {} : { errorCode: result.kind }),
  };
}
