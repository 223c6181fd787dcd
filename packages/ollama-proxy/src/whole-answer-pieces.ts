import type { LLMChunk } from '@lunar/llm-cache';

/** Words with the spaces before them, and each other character alone: about one token each. */
const PIECE = /\s*(?:[\p{L}\p{M}\p{N}_]+|[^\s\p{L}\p{M}\p{N}_])|\s+/gu;

/** `text` cut into token-sized pieces that join back into it. */
export function tokenPieces(text: string): string[] {
  return text.match(PIECE) ?? [];
}

/** True for a whole answer (stored from `stream: false`) replayed to a streamed call: one final chunk that holds text. */
export function isWholeAnswer(chunk: LLMChunk): boolean {
  if (chunk.done !== true) return false;
  const message = chunk.message;
  return Boolean(
    chunk.response ||
      chunk.thinking ||
      message?.content ||
      message?.thinking ||
      (message?.tool_calls?.length ?? 0) > 0,
  );
}

/**
 * The chunks Ollama would have streamed for a whole chat or generate answer: its thinking, then
 * its text, in token-sized pieces, then each tool call in a chunk of its own, then the final chunk
 * (`done: true`, the metrics and `done_reason`) with empty text, as a stream ends.
 */
export function streamedPieces(whole: LLMChunk): LLMChunk[] {
  const { model, created_at } = whole;
  const head = { model, created_at };
  const chunks: LLMChunk[] = [];
  const message = whole.message;
  if (message !== undefined) {
    const role = message.role ?? 'assistant';
    for (const piece of tokenPieces(message.thinking ?? '')) {
      chunks.push({ ...head, message: { role, content: '', thinking: piece }, done: false });
    }
    for (const piece of tokenPieces(message.content ?? '')) {
      chunks.push({ ...head, message: { role, content: piece }, done: false });
    }
    for (const call of message.tool_calls ?? []) {
      chunks.push({ ...head, message: { role, content: '', tool_calls: [call] }, done: false });
    }
    const { thinking: _thinking, tool_calls: _calls, ...rest } = message;
    chunks.push({ ...whole, message: { ...rest, role, content: '' } });
    return chunks;
  }
  for (const piece of tokenPieces(whole.thinking ?? '')) {
    chunks.push({ ...head, response: '', thinking: piece, done: false });
  }
  for (const piece of tokenPieces(whole.response ?? ''))
    chunks.push({ ...head, response: piece, done: false });
  const { thinking: _thinking, ...rest } = whole;
  chunks.push({ ...rest, response: '' });
  return chunks;
}
