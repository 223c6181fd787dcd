import { isMemoryError } from '@lunar/memory';
import { isOllamaError } from '@lunar/ollama-stream';

/** What went wrong, stable enough to branch on. */
export type AgentErrorCode =
  /** Ollama could not be reached at all (`host` says where). */
  | 'AGENT_OLLAMA_UNREACHABLE'
  /** The model is not pulled on the Ollama server (`model` names it, `pullCommand` is the command to run). */
  | 'AGENT_MODEL_NOT_FOUND'
  /** Ollama answered with an error (busy, HTTP error, stream error, bad protocol, timeout). */
  | 'AGENT_LLM_FAILED'
  /** An input guard refused the message (`guard` names it). */
  | 'AGENT_GUARD_REFUSED'
  /** The model kept calling tools past `maxToolRounds`. */
  | 'AGENT_MAX_TOOL_ROUNDS'
  /** The memory search failed. */
  | 'AGENT_MEMORY_FAILED'
  /** The caller aborted the turn. */
  | 'AGENT_ABORTED'
  /** The message or a run option was not valid. */
  | 'AGENT_INVALID_INPUT'
  /** An arithmetic expression could not be calculated (`position` says where; see `ArithmeticError`). */
  | 'AGENT_INVALID_EXPRESSION'
  /** A benchmark run failed (the message says which configuration and why). */
  | 'AGENT_BENCHMARK_FAILED'
  /** Anything else (a bug): the message says what. */
  | 'AGENT_INTERNAL';

/** The fields an AgentError may carry besides its code and message. */
export interface AgentErrorFields {
  cause?: unknown;
  /** The model concerned (`AGENT_MODEL_NOT_FOUND`). */
  model?: string;
  /** The command that fetches the missing model, e.g. `ollama pull llama3.2:3b` (`AGENT_MODEL_NOT_FOUND`). */
  pullCommand?: string;
  /** The Ollama host concerned (`AGENT_OLLAMA_UNREACHABLE`, `AGENT_LLM_FAILED`). */
  host?: string;
  /** The guard that refused the message (`AGENT_GUARD_REFUSED`). */
  guard?: string;
}

/** The one error class of @lunar/agent; `code` tells the cases apart. */
export class AgentError extends Error {
  override readonly name: string = 'AgentError';
  readonly code: AgentErrorCode;
  readonly model: string | undefined;
  readonly pullCommand: string | undefined;
  readonly host: string | undefined;
  readonly guard: string | undefined;

  constructor(code: AgentErrorCode, message: string, fields: AgentErrorFields = {}) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.code = code;
    this.model = fields.model;
    this.pullCommand = fields.pullCommand;
    this.host = fields.host;
    this.guard = fields.guard;
  }
}

/** True when `value` is an AgentError (of the given code, when one is passed). */
export function isAgentError<C extends AgentErrorCode>(
  value: unknown,
  code?: C,
): value is AgentError & { code: C } {
  return value instanceof AgentError && (code === undefined || value.code === code);
}

/** The command that pulls `model` onto an Ollama server (when Ollama's error did not give one). */
export function pullCommandFor(model: string): string {
  return `ollama pull ${model}`;
}

/**
 * Any failure as an AgentError whose message a user can act on. Causes are told apart by their
 * guards (`isOllamaError`, `isMemoryError`), never by message text or code prefix.
 * `model` is the model the failed call asked for, named when Ollama's error does not.
 */
export function toAgentError(error: unknown, signal: AbortSignal | undefined, model?: string): AgentError {
  if (error instanceof AgentError) return error;
  if (signal?.aborted && isAgentError(signal.reason) && signal.reason.code !== 'AGENT_ABORTED')
    return signal.reason;
  if (signal?.aborted || isOllamaError(error, 'OLLAMA_ABORTED'))
    return new AgentError('AGENT_ABORTED', 'The turn was aborted.', { cause: error });
  const message = error instanceof Error ? error.message : String(error);
  if (isOllamaError(error, 'OLLAMA_UNREACHABLE')) {
    return new AgentError('AGENT_OLLAMA_UNREACHABLE', message, {
      cause: error,
      ...(error.host === undefined ? {} : { host: error.host }),
    });
  }
  if (isOllamaError(error, 'OLLAMA_MODEL_NOT_FOUND')) {
    const missing = error.model ?? model;
    const pullCommand = error.pullCommand ?? (missing === undefined ? undefined : pullCommandFor(missing));
    return new AgentError('AGENT_MODEL_NOT_FOUND', message, {
      cause: error,
      ...(missing === undefined ? {} : { model: missing }),
      ...(pullCommand === undefined ? {} : { pullCommand }),
    });
  }
  if (isOllamaError(error)) {
    return new AgentError('AGENT_LLM_FAILED', message, {
      cause: error,
      ...(error.host === undefined ? {} : { host: error.host }),
    });
  }
  if (isMemoryError(error)) {
    return new AgentError('AGENT_MEMORY_FAILED', `The memory search failed: ${message}`, { cause: error });
  }
  return new AgentError('AGENT_INTERNAL', `Something went wrong: ${message}`, { cause: error });
}
