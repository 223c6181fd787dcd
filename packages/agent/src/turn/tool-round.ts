import type { Message, ToolCall } from '@lunar/ollama-stream';
import { type ToolRegistry, ToolRunner, toToolMessage } from '@lunar/tools-parallel';
import type { AgentEvent } from '../agent/events.js';
import type { ToolResultCache } from '../agent/tool-cache.js';
import type { Profiler } from '../profile/profiler.js';
import type { RoundResult } from './llm-round.js';
import type { OutputFilter } from './output-stage.js';
import { stageEvent } from './stage-event.js';

export interface ToolRoundContext {
  /** Counted from 1. */
  round: number;
  /** The agent's tools, with the cacheable ones answered from recent results when `toolCache` is on. */
  registry: ToolRegistry;
  toolCache: ToolResultCache;
  /** The optimizations this stage follows. */
  optimizations: { eagerTools: boolean; parallelTools: boolean; toolCache: boolean };
  concurrency: number;
  timeoutMs: number;
  signal: AbortSignal;
  profiler: Profiler;
  output: OutputFilter;
}

/**
 * The tools of one model round. Made before the model answers, so that with `eagerTools` a
 * read-only tool starts the moment its call arrives; `run()` is the `tools` stage.
 */
export class ToolRound {
  readonly #context: ToolRoundContext;
  readonly #runner: ToolRunner;
  /** Calls with a result so far. */
  #settled = 0;

  constructor(context: ToolRoundContext) {
    this.#context = context;
    const { profiler, round, toolCache, optimizations } = context;
    this.#runner = new ToolRunner(context.registry, {
      concurrency: optimizations.parallelTools ? context.concurrency : 1,
      timeoutMs: context.timeoutMs,
      signal: context.signal,
      onStart: (started) => profiler.toolStarted(started.callId),
      onResult: (result) => {
        this.#settled++;
        profiler.toolEnded(round, {
          callId: result.callId,
          name: result.name,
          ok: result.ok,
          ...(result.ok ? {} : { errorCode: result.kind }),
          cache: !optimizations.toolCache
            ? 'off'
            : toolCache.servedFromCache(result.callId)
              ? 'hit'
              : toolCache.caches(result.name)
                ? 'miss'
                : 'bypass',
        });
      },
    });
  }

  /** A call arrived in the stream: with `eagerTools` it is added (and may start) now. Returns its id. */
  arrived(call: ToolCall): string {
    // llmRound gives every call an id, so a tool-call and its tool-result share it.
    return this.#context.optimizations.eagerTools ? this.#runner.add(call) : call.id!;
  }

  /** True while some of the round's calls (`result`'s) have no result yet, or have not started. */
  waiting(result: RoundResult): boolean {
    return this.#settled < result.toolCalls.length;
  }

  /**
   * Runs the round's calls to the end; yields each result as it comes, then the `tools` stages
   * (and the `wait` stage when the tools and the model overlapped).
   */
  async *run(result: RoundResult): AsyncGenerator<AgentEvent, Message[], undefined> {
    const { round, profiler, optimizations } = this.#context;
    if (!optimizations.eagerTools) for (const toolCall of result.toolCalls) this.#runner.add(toolCall);
    if (result.doneReason === 'length')
      this.#runner.cancel("the model's answer was cut off (done_reason: length)");
    else this.#runner.commit();
    for await (const toolResult of this.#runner) yield this.#context.output.toolResult(toolResult, round);
    const results = await this.#runner.results();
    const records = profiler.toolsStage(round, {
      toolCache: optimizations.toolCache,
      detail: { parallel: optimizations.parallelTools },
    });
    for (const record of records) yield stageEvent(record);
    return results.map(toToolMessage);
  }

  /** Stops the calls still running or waiting (the turn ended first). */
  cancel(reason: string): void {
    this.#runner.cancel(reason);
  }
}
