import type { AgentErrorCode, ErrorEvent } from '@lunar/agent';

/**
 * What a client is told when a turn fails in a way only the server's operator can look into. The
 * agent's own message carries the upstream's URL and the raw exception text: that goes to the log.
 */
const FIXED: Partial<Record<AgentErrorCode, string>> = {
  'ollama-unreachable': 'The model server could not be reached. Check that Ollama is running.',
  'llm-failed': 'The model server answered with an error. Try again; if it persists, see the server log.',
  'memory-failed': 'The memory search failed. Try again; if it persists, see the server log.',
  internal: 'Something went wrong on the server. The server log has the details.',
};

/** What a turn stopped by the server's shutdown says (its code stays the agent's `aborted`). */
const SHUTTING_DOWN =
  'The server is shutting down and stopped this turn before its end. Send it again: another server, or this one once restarted, will answer.';

/** The model in the agent's `ollama pull NAME` advice. */
const PULL = /`ollama pull ([^`\s]+)`/;

export interface PublicTurnError {
  /** The error event as the client gets it. */
  event: ErrorEvent;
  /** True when the message was replaced: the agent's own message belongs in the log. */
  replaced: boolean;
}

/**
 * The error event a client may see. `ollama-unreachable`, `llm-failed`, `memory-failed` and
 * `internal` get a fixed text; `model-not-found` keeps its advice (`ollama pull NAME`) without the
 * server's address; the others (`invalid-input`, `guard-refused`, `max-tool-rounds`, `aborted`)
 * speak of the request only and are sent as they are, but for an `aborted` turn stopped by the
 * server's shutdown, which says so.
 */
export function publicTurnError(
  event: ErrorEvent,
  model: string,
  state: { closing: boolean } = { closing: false },
): PublicTurnError {
  if (event.code === 'aborted' && state.closing) {
    return { event: { ...event, message: SHUTTING_DOWN }, replaced: true };
  }
  const fixed = FIXED[event.code];
  if (fixed !== undefined) return { event: { ...event, message: fixed }, replaced: true };
  if (event.code === 'model-not-found') {
    const name = PULL.exec(event.message)?.[1] ?? model;
    const message = `The model ${JSON.stringify(name)} is not on the model server: run \`ollama pull ${name}\` there.`;
    return { event: { ...event, message }, replaced: true };
  }
  return { event, replaced: false };
}
