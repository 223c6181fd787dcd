import type { ToolCall } from '@lunar/ollama-stream';
import type { LLMChunk } from './types.js';

/**
 * The non-streamed response Ollama would have sent for these streamed chunks: the final chunk
 * (model, created_at, done_reason, metrics, context) with `response`, `thinking`, the message's
 * `content` and `thinking` concatenated and every `tool_calls` and `logprobs` entry gathered in
 * order. Used when a whole-response call hits an answer that was recorded from a stream.
 */
export function mergeChunks<C extends LLMChunk>(chunks: readonly C[]): C {
  const last = chunks[chunks.length - 1];
  if (last === undefined) throw new RangeError('mergeChunks needs at least one chunk');
  if (chunks.length === 1) return last;

  const merged: Record<string, unknown> = { ...(last as Record<string, unknown>) };
  let response = '';
  let thinking = '';
  let content = '';
  let messageThinking = '';
  const toolCalls: ToolCall[] = [];
  const messageToolCalls: ToolCall[] = [];
  const logprobs: unknown[] = [];
  let role: string | undefined;
  for (const chunk of chunks) {
    response += chunk.response ?? '';
    thinking += chunk.thinking ?? '';
    if (chunk.tool_calls) toolCalls.push(...chunk.tool_calls);
    const extra = (chunk as { logprobs?: unknown }).logprobs;
    if (Array.isArray(extra)) logprobs.push(...extra);
    const message = chunk.message;
    if (message) {
      role ??= message.role;
      content += message.content ?? '';
      messageThinking += message.thinking ?? '';
      if (message.tool_calls) messageToolCalls.push(...message.tool_calls);
    }
  }
  if (last.response !== undefined || response) merged.response = response;
  if (thinking) merged.thinking = thinking;
  if (toolCalls.length > 0) merged.tool_calls = toolCalls;
  if (logprobs.length > 0) merged.logprobs = logprobs;
  if (last.message) {
    const message: Record<string, unknown> = { ...last.message, content };
    if (role !== undefined) message.role = role;
    if (messageThinking) message.thinking = messageThinking;
    if (messageToolCalls.length > 0) message.tool_calls = messageToolCalls;
    merged.message = message;
  }
  return merged as C;
}
