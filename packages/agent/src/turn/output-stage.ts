import type { ToolResult } from '@lunar/tools-parallel';
import type { AgentEvent } from '../agent/events.js';
import type { OutputGuard, OutputGuardStream } from '../guards/guard.js';
import type { Profiler } from '../profile/profiler.js';
import { stageEvent } from './stage-event.js';

/**
 * The output guards chained over the answer as it streams: each one's released text feeds the
 * next. Keeps the text shown to the user and the time the guards took.
 */
export class OutputFilter {
  readonly #guards: readonly OutputGuard[];
  readonly #streams: OutputGuardStream[];
  readonly #profiler: Profiler;
  #spentMs = 0;
  /** Every piece of text released so far: the answer as the user saw it. */
  shown = '';

  constructor(guards: readonly OutputGuard[], profiler: Profiler) {
    this.#guards = guards;
    this.#streams = guards.map((guard) => guard.createStream());
    this.#profiler = profiler;
  }

  /** Text the guards release for the user now (maybe empty: a guard may hold text back). */
  push(text: string): string {
    const started = this.#profiler.now();
    let out = text;
    for (const stream of this.#streams) out = stream.push(out);
    return this.#released(out, started);
  }

  /** What the guards held back, at the end of a model round. */
  flush(): string {
    const started = this.#profiler.now();
    let out = '';
    for (const stream of this.#streams) out = stream.push(out) + stream.flush();
    return this.#released(out, started);
  }

  /** The `output-guards` stage: the guards ran piecewise; the bar shows their total time, ending with the turn. */
  record(): AgentEvent {
    const rewrites = this.#streams.reduce((sum, stream) => sum + stream.rewrites, 0);
    return stageEvent(
      this.#profiler.record(
        'output-guards',
        Math.max(0, this.#profiler.now() - this.#spentMs),
        this.#spentMs,
        {
          detail: { guards: this.#guards.length, rewrites },
        },
      ),
    );
  }

  /**
   * A tool result as the user sees it: its output through fresh output guards (the model still
   * reads the output as the tool gave it).
   */
  toolResult(result: ToolResult, round: number): AgentEvent {
    let output = result.output;
    for (const guard of this.#guards) {
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

  #released(text: string, started: number): string {
    this.#spentMs += this.#profiler.now() - started;
    if (text) {
      this.#profiler.firstToken();
      this.shown += text;
    }
    return text;
  }
}
