import type { LLMChunk } from './types.js';

/** True when the chunk carries some of the answer: text, thinking, tool calls or embeddings. */
export function carriesAnswer(chunk: LLMChunk): boolean {
  const message = chunk.message;
  if (typeof message === 'object' && message !== null) {
    if (message.content || message.thinking || (message.tool_calls?.length ?? 0) > 0) return true;
  }
  return Boolean(
    chunk.response ||
      chunk.thinking ||
      (chunk.tool_calls?.length ?? 0) > 0 ||
      (chunk.embeddings?.length ?? 0) > 0 ||
      (chunk.embedding?.length ?? 0) > 0,
  );
}

/**
 * True for what must never be stored: an error line (`{"error": ...}`), anything that is not an
 * object, and the replies to model load/unload requests (`done_reason` `load` or `unload`).
 */
export function spoilsRecording(chunk: LLMChunk): boolean {
  if (typeof chunk !== 'object' || chunk === null) return true;
  if (chunk.error !== undefined) return true;
  return chunk.done_reason === 'load' || chunk.done_reason === 'unload';
}

/** True for the chunk that ends an Ollama stream. */
export function isFinalChunk(chunk: LLMChunk): boolean {
  return chunk.done === true;
}
