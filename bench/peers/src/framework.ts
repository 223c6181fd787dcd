/** A tool call as the framework reports the model asked for it. */
export interface AskedToolCall {
  name: string;
  arguments: unknown;
}

/** What one turn produced, whatever the framework. */
export interface TurnOutput {
  toolCalls: AskedToolCall[];
  text: string;
}

/** Where a framework finds its engine and which model it asks. */
export interface FrameworkSetup {
  host: string;
  model: string;
}

/**
 * One framework, set up the way its documentation shows, answering a question: in a fresh
 * conversation, or in `conversation`, whose earlier turns it keeps (their messages go with every
 * later call, as its documentation shows a chat). `onText` gets each piece of answer text as the
 * framework hands it to its caller.
 */
export interface Framework {
  /** What the framework does before the warm-up's throwaway turn (Lunar loads the model). */
  warmup?(): Promise<void>;
  turn(question: string, onText: (text: string) => void, conversation?: string): Promise<TurnOutput>;
  /**
   * The user started typing the next message of `conversation` (an app knows when its input
   * opens): what the framework does meanwhile, without holding the user up. None but Lunar has
   * such a hook (`agent.prepare()`).
   */
  typing?(conversation: string): void;
  close(): Promise<void>;
}
