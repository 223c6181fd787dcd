/** An engine's speeds for one model: the simulator's `LatencyModel` (see `modelLatency`) fits. */
export interface EngineLatency {
  /** Fixed cost of every request before its prefill, in ms. */
  overheadMs: number;
  /** Prompt evaluation (prefill) of the tokens not in the cache. */
  promptTokensPerSecond: number;
  /** Decoding: one token written. */
  tokensPerSecond: number;
  /** One embedding input, in ms. */
  embedMsPerInput: number;
}

/** One model call on the way to the first answer token. */
export interface CallShape {
  /**
   * Prompt tokens no cache could have held: from the first token that depends on the turn (the
   * user's message, the memories found for it) for the first call; from the first tool result on
   * for a call after tools (what comes before can be evaluated while the tools run).
   */
  uncachedPromptTokens: number;
  /**
   * Tokens the model writes before the turn can go on: all of them for a call that asks for tools
   * (its thinking and its calls); for the last call, the ones before its first answer token
   * (its thinking), plus that token.
   */
  writtenTokens: number;
  /** The durations of the tools this call asks for, in the order it asks; none for the last call. */
  toolMs: number[];
}

/** What a turn must do on the way to its first answer token, counted by the engine. */
export interface TurnShape {
  /** Embedding requests before the prompt (the memory search embeds the question: 1; none: 0). */
  embeddings: number;
  /** The model calls, in order; the last one writes the answer. */
  calls: CallShape[];
}

/** The lower bound of a turn's time to first token, and what it is made of (ms). */
export interface TurnBound {
  totalMs: number;
  /** Request overheads: one per model call and per embedding. */
  overheadMs: number;
  /** Embedding the question. */
  embedMs: number;
  /** Evaluating the uncached prompt tokens of every call. */
  prefillMs: number;
  /** Writing the tokens each call must write before the turn goes on. */
  writeMs: number;
  /** The tools' time past the end of the call that asked for them. */
  toolsMs: number;
}

/**
 * The fastest a turn's first answer token can come on an engine with these speeds: the sum, over
 * the calls on the way to it, of the request overhead, the prefill of the prompt tokens no cache
 * could hold, the tokens the model must write first, and the tools between the calls; plus
 * embedding the question for the memory search. No time is left for the agent itself, the
 * network, guards or a search; it assumes a prefix cache that holds everything that does not
 * depend on the message, and the next call's prompt evaluated while the tools run.
 *
 * The tools after a call end at the earliest when the last one asked for has run after the
 * model wrote it, or when any of them ran from the start of the writing (eager tools hide what
 * overlaps): `max(last, slowest - writing)` past the end of the call.
 */
export function firstTokenBound(
  shape: TurnShape,
  model: EngineLatency,
  embedder: EngineLatency = model,
): TurnBound {
  const bound: TurnBound = { totalMs: 0, overheadMs: 0, embedMs: 0, prefillMs: 0, writeMs: 0, toolsMs: 0 };
  for (let index = 0; index < shape.embeddings; index++) {
    bound.overheadMs += embedder.overheadMs;
    bound.embedMs += embedder.embedMsPerInput;
  }
  for (const call of shape.calls) {
    const writeMs = (call.writtenTokens / model.tokensPerSecond) * 1000;
    bound.overheadMs += model.overheadMs;
    bound.prefillMs += (call.uncachedPromptTokens / model.promptTokensPerSecond) * 1000;
    bound.writeMs += writeMs;
    const last = call.toolMs.at(-1);
    if (last !== undefined) bound.toolsMs += Math.max(last, Math.max(...call.toolMs) - writeMs);
  }
  bound.totalMs = bound.overheadMs + bound.embedMs + bound.prefillMs + bound.writeMs + bound.toolsMs;
  return bound;
}
