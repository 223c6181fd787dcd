import { type AnyTool, defineTool, type ToolContext, ToolRegistry } from '@lunar/tools-parallel';
import { stableJson } from '../agent/stable-json.js';

/**
 * Predicts a read-only tool's arguments from the user's message, or `undefined` when the message
 * does not call for it (see `AgentConfig.toolPredictors`).
 */
export type ToolPredictor = (message: string) => Record<string, unknown> | undefined;

/** How speculative tool calls fared, counted over the agent's turns. */
export interface SpeculationStats {
  /** Predicted calls started before the model asked for anything. */
  started: number;
  /** Of those, calls the model then made with the same arguments: their result was used. */
  used: number;
}

/** The turn's clock and its tool spans: a taken guess's span starts when the guess started. */
export interface SpeculationClock {
  /** Ms since the turn started. */
  now(): number;
  /**
   * The call `callId` took over a guess: the tool ran from `startMs` (before the model asked), to
   * `endMs` when it had ended by then.
   */
  toolTakenOver(callId: string, startMs: number, endMs: number | undefined): void;
}

interface Guess {
  readonly key: string;
  /** When the guess started, on the turn's clock. */
  readonly startedAtMs: number;
  /** When its tool ended (a result or a failure), once it has. */
  endedAtMs?: number;
  readonly result: Promise<unknown>;
  readonly controller: AbortController;
  /** `open` until a call takes it or it is discarded. */
  state: 'open' | 'taken' | 'discarded';
}

const keyOf = (name: string, args: unknown) => `${name}\u0000${stableJson(args)}`;
const ignore = () => {};

/**
 * The speculative calls of one turn: each read-only tool with a predictor whose prediction fits
 * its schema starts at once, before the model answers. When the model then calls the same tool
 * with the same arguments, the call takes the running (or finished) result instead of starting
 * again; a guess the model does not make is aborted by `discard()` and never seen by anyone.
 */
export class ToolSpeculation {
  readonly #guesses: Guess[] = [];
  readonly #stats: SpeculationStats;
  readonly #clock: SpeculationClock;

  private constructor(stats: SpeculationStats, clock: SpeculationClock) {
    this.#stats = stats;
    this.#clock = clock;
  }

  /** Starts the predicted calls of `message` on `registry`'s tools (their cached copies, if any). */
  static async start(
    registry: ToolRegistry,
    predictors: ReadonlyMap<string, ToolPredictor>,
    message: string,
    stats: SpeculationStats,
    signal: AbortSignal,
    clock: SpeculationClock,
  ): Promise<ToolSpeculation> {
    const speculation = new ToolSpeculation(stats, clock);
    for (const [name, predict] of predictors) {
      const tool = registry.get(name);
      if (tool === undefined || !tool.readOnly || signal.aborted) continue;
      let predicted: Record<string, unknown> | undefined;
      try {
        predicted = predict(message);
      } catch {
        continue; // A predictor that throws predicts nothing.
      }
      if (predicted === undefined) continue;
      const parsed = await tool.parameters.safeParseAsync(predicted).catch(() => undefined);
      if (!parsed?.success || signal.aborted) continue;
      speculation.#launch(tool, parsed.data, signal);
    }
    return speculation;
  }

  #launch(tool: AnyTool, args: unknown, signal: AbortSignal): void {
    const controller = new AbortController();
    const stop = () => controller.abort(signal.reason);
    signal.addEventListener('abort', stop, { once: true });
    const context: ToolContext = { signal: controller.signal, callId: `speculative_${tool.name}` };
    const startedAtMs = this.#clock.now();
    const result = (async () => tool.execute(args, context))();
    const guess: Guess = { key: keyOf(tool.name, args), startedAtMs, result, controller, state: 'open' };
    const ended = () => {
      guess.endedAtMs = this.#clock.now();
      signal.removeEventListener('abort', stop);
    };
    result.then(ended, ended);
    result.catch(ignore);
    this.#guesses.push(guess);
    this.#stats.started++;
  }

  get size(): number {
    return this.#guesses.length;
  }

  /**
   * `registry` with each speculated tool answering a call with the same arguments from its guess
   * (once); other calls run the tool as usual.
   */
  registry(registry: ToolRegistry): ToolRegistry {
    if (this.#guesses.length === 0) return registry;
    return new ToolRegistry(registry.list().map((tool) => this.#adopting(tool)));
  }

  #adopting(tool: AnyTool): AnyTool {
    if (!this.#guesses.some((guess) => guess.key.startsWith(`${tool.name}\u0000`))) return tool;
    return defineTool({
      name: tool.name,
      description: tool.description,
      parameters: tool.parameters,
      readOnly: tool.readOnly,
      ...(tool.timeoutMs === undefined ? {} : { timeoutMs: tool.timeoutMs }),
      execute: (args: unknown, context: ToolContext) => {
        const key = keyOf(tool.name, args);
        const guess = this.#guesses.find((candidate) => candidate.state === 'open' && candidate.key === key);
        if (guess === undefined) return tool.execute(args, context);
        guess.state = 'taken';
        this.#stats.used++;
        // The tool has run since the guess started (and may have ended): its span in the profile says so.
        this.#clock.toolTakenOver(context.callId, guess.startedAtMs, guess.endedAtMs);
        // The call's deadline or cancellation now stops the guess it took over.
        const stop = () => guess.controller.abort(context.signal.reason);
        if (context.signal.aborted) stop();
        else context.signal.addEventListener('abort', stop, { once: true });
        return guess.result;
      },
    }) as AnyTool;
  }

  /** Aborts every guess no call took: the model asked for something else, or the turn ended. */
  discard(reason: string): void {
    for (const guess of this.#guesses) {
      if (guess.state !== 'open') continue;
      guess.state = 'discarded';
      guess.controller.abort(new DOMException(reason, 'AbortError'));
    }
  }
}
