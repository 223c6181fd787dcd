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
  /** When each call got its slot, in profiler time, by call id. */
  readonly #starts = new Map<string, number>();

  constructor(context: ToolRoundContext) {
    this.#context = context;
    this.#runner = new ToolRunner(context.registry, {
      concurrency: context.optimizations.parallelTools ? context.concurrency : 1,
      timeoutMs: context.timeoutMs,
      signal: context.signal,
      onStart: (started) => this.#starts.set(started.callId, context.profiler.now()),
    });
  }

  /** A call arrived in the stream: with `eagerTools` it is added (and may start) now. Returns its id. */
  arrived(call: ToolCall): string {
    // llmRound gives every call an id, so a tool-call and its tool-result share it.
    return this.#context.optimizations.eagerTools ? this.#runner.add(call) : call.id!;
  }

  /** Runs the round's calls to the end; yields each result as it comes and the `tools` stage. */
  async *run(result: RoundResult): AsyncGenerator<AgentEvent, Message[], undefined> {
    const { round, profiler, optimizations } = this.#context;
    const calledAt = profiler.now();
    if (!optimizations.eagerTools) for (const toolCall of result.toolCalls) this.#runner.add(toolCall);
    if (result.doneReason === 'length')
      this.#runner.cancel("the model's answer was cut off (done_reason: length)");
    else this.#runner.commit();
    for await (const toolResult of this.#runner) yield this.#context.output.toolResult(toolResult, round);
    const results = await this.#runner.results();
    const starts = [...this.#starts.values()];
    const firstStart = Math.min(calledAt, ...starts);
    const fromCache = results.filter((toolResult) =>
      this.#context.toolCache.servedFromCache(toolResult.callId),
    ).length;
    yield stageEvent(
      profiler.record('tools', firstStart, profiler.now() - firstStart, {
        round,
        cache: !optimizations.toolCache ? 'off' : fromCache === results.length ? 'hit' : 'miss',
        detail: {
          fromCache,
          calls: results.length,
          failed: results.filter((toolResult) => !toolResult.ok).length,
          startedEarly: starts.filter((at) => at < calledAt).length,
          parallel: optimizations.parallelTools,
        },
      }),
    );
    return results.map(toToolMessage);
  }

  /** Stops the calls still running or waiting (the turn ended first). */
  cancel(reason: string): void {
    this.#runner.cancel(reason);
  }
}
