import { type AgentErrorCode, type ErrorEvent, pullCommandFor } from '@lunar/agent';

/**
 * What a client is told when a turn fails in a way only the server's operator can look into. The
 * agent's own message carries the Ollama host's URL and the raw exception text: that goes to the log.
 */
const FIXED: Partial<Record<AgentErrorCode, string>> = {
  AGENT_OLLAMA_UNREACHABLE: 'The model server could not be reached. Check that Ollama is running.',
  AGENT_LLM_FAILED:
    'The model server failed to answer (an error, or no answer in time). Try again; if it persists, see the server log.',
  AGENT_MEMORY_FAILED: 'The memory search failed. Try again; if it persists, see the server log.',
  AGENT_INTERNAL: 'Something went wrong on the server. The server log has the details.',
};

/** What a turn stopped by the server's shutdown says (its code stays the agent's `AGENT_ABORTED`). */
const SHUTTING_DOWN =
  'The server is shutting down and stopped this turn before its end. Send it again: another server, or this one once restarted, will answer.';

export interface PublicTurnError {
  /** The error event as the client gets it. */
  event: ErrorEvent;
  /** True when the message was replaced: the agent's own message belongs in the log. */
  replaced: boolean;
}

/**
 * The error event a client may see. `AGENT_OLLAMA_UNREACHABLE`, `AGENT_LLM_FAILED`,
 * `AGENT_MEMORY_FAILED` and `AGENT_INTERNAL` get a fixed text; `AGENT_MODEL_NOT_FOUND` keeps its
 * advice (the event's `pullCommand`) without the server's address; the others speak of the
 * request only and are sent as they are, but for an `AGENT_ABORTED` turn stopped by the server's
 * shutdown, which says so.
 */
export function publicTurnError(
  event: ErrorEvent,
  model: string,
  state: { closing: boolean } = { closing: false },
): PublicTurnError {
  if (event.code === 'AGENT_ABORTED' && state.closing) {
    return { event: { ...event, message: SHUTTING_DOWN }, replaced: true };
  }
  const fixed = FIXED[event.code];
  if (fixed !== undefined) return { event: { ...event, message: fixed }, replaced: true };
  if (event.code === 'AGENT_MODEL_NOT_FOUND') {
    const name = event.model ?? model;
    const message = `The model ${JSON.stringify(name)} is not on the model server: run \`${event.pullCommand ?? pullCommandFor(name)}\` there.`;
    return { event: { ...event, message }, replaced: true };
  }
  return { event, replaced: false };
}
