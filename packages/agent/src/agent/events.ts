import type { ToolFailureKind } from '@lunar/tools-parallel';
import type { StageRecord, TurnProfile } from '../profile/profile.js';
import type { AgentErrorCode } from './errors.js';

/** A stage finished: its name, start offset, duration, cache status and detail. */
export interface StageEvent {
  type: 'stage';
  stage: StageRecord;
}

/** Text for the user, in order; joined, the deltas are the answer. */
export interface TextDeltaEvent {
  type: 'text-delta';
  text: string;
}

/** The model asked for a tool. */
export interface ToolCallEvent {
  type: 'tool-call';
  round: number;
  callId: string;
  name: string;
  arguments: unknown;
}

/** A tool finished (or failed, timed out, was aborted): `output` is what the model reads. */
export interface ToolResultEvent {
  type: 'tool-result';
  round: number;
  callId: string;
  name: string;
  ok: boolean;
  output: string;
  durationMs: number;
  /** The failure's kind when `ok` is false: not-found, invalid-arguments, timeout, failed, aborted. */
  errorCode?: ToolFailureKind;
}

/** The turn ended with an answer. */
export interface DoneEvent {
  type: 'done';
  text: string;
  profile: TurnProfile;
}

/** The turn ended without an answer: `message` says what the user can do about it. */
export interface ErrorEvent {
  type: 'error';
  code: AgentErrorCode;
  message: string;
  /** For `AGENT_MODEL_NOT_FOUND`: the missing model. */
  model?: string;
  /** For `AGENT_MODEL_NOT_FOUND`: the command that pulls it, e.g. `ollama pull llama3.2:3b`. */
  pullCommand?: string;
  profile: TurnProfile;
}

export type AgentEvent =
  | StageEvent
  | TextDeltaEvent
  | ToolCallEvent
  | ToolResultEvent
  | DoneEvent
  | ErrorEvent;

/** What `agent.ask()` collects from a turn. */
export interface AgentAnswer {
  text: string;
  toolResults: ToolResultEvent[];
  profile: TurnProfile;
}
