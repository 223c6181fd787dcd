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
 * One framework, set up the way its documentation shows, answering a question in a fresh
 * conversation: `onText` gets each piece of answer text as the framework hands it to its caller.
 */
export interface Framework {
  /** What the framework does before the warm-up's throwaway turn (Lunar loads the model). */
  warmup?(): Promise<void>;
  turn(question: string, onText: (text: string) => void): Promise<TurnOutput>;
  close(): Promise<void>;
}
