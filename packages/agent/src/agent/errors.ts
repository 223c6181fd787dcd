/** What went wrong in a turn, stable enough to branch on. */
export type AgentErrorCode =
  /** Ollama could not be reached at all. */
  | 'ollama-unreachable'
  /** The model is not pulled on the Ollama server. */
  | 'model-not-found'
  /** Ollama answered with an error (busy, HTTP error, stream error, bad protocol, timeout). */
  | 'llm-failed'
  /** An input guard refused the message. */
  | 'guard-refused'
  /** The model kept calling tools past `maxToolRounds`. */
  | 'max-tool-rounds'
  /** The memory search failed. */
  | 'memory-failed'
  /** The caller aborted the turn. */
  | 'aborted'
  /** The message or a run option was not valid. */
  | 'invalid-input'
  /** Anything else (a bug): the message says what. */
  | 'internal';

export class AgentError extends Error {
  override readonly name = 'AgentError';
  readonly code: AgentErrorCode;

  constructor(code: AgentErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

const OLLAMA_CODES: Record<string, AgentErrorCode> = {
  OLLAMA_UNREACHABLE: 'ollama-unreachable',
  OLLAMA_MODEL_NOT_FOUND: 'model-not-found',
  OLLAMA_ABORTED: 'aborted',
};

/** Any failure of a turn as an AgentError whose message a user can act on. */
export function toAgentError(error: unknown, signal: AbortSignal): AgentError {
  if (error instanceof AgentError) return error;
  if (signal.aborted && signal.reason instanceof AgentError && signal.reason.code !== 'aborted')
    return signal.reason;
  if (signal.aborted) return new AgentError('aborted', 'The turn was aborted.', { cause: error });
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code === 'string' && code.startsWith('OLLAMA_')) {
    return new AgentError(OLLAMA_CODES[code] ?? 'llm-failed', message, { cause: error });
  }
  if (typeof code === 'string' && code.startsWith('MEMORY_')) {
    return new AgentError('memory-failed', `The memory search failed: ${message}`, { cause: error });
  }
  return new AgentError('internal', `Something went wrong in the turn: ${message}`, { cause: error });
}
