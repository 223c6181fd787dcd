import type { MemorySearchResult } from '@lunar/memory';
import type { Message } from '@lunar/ollama-stream';

export interface PromptParts {
  system: string | undefined;
  history: readonly Message[];
  memories: readonly MemorySearchResult[];
  message: string;
  date: Date;
  /** Stable part first and byte-identical between turns (the `stablePrefix` optimization). */
  stablePrefix: boolean;
}

function memoryLines(memories: readonly MemorySearchResult[]): string {
  return memories.map((memory) => `- ${memory.text.replace(/\s+/g, ' ')}`).join('\n');
}

function context(memories: readonly MemorySearchResult[], date: Date): string {
  const lines = [`Today is ${date.toISOString().slice(0, 10)}.`];
  if (memories.length > 0) lines.push(`Relevant memories:\n${memoryLines(memories)}`);
  return lines.join('\n');
}

/**
 * The messages of a turn's first model call.
 *
 * With a stable prefix: the system prompt alone first (Ollama puts the tool definitions right
 * after it), then the history, then what changes every turn (the date and the memories found,
 * as a context message of its own, since chat templates render every message in place), then
 * the user's message. Two turns share every token up to the history's end, so Ollama evaluates
 * only the new part.
 *
 * Without (the classic way): the date and the memories at the top of the system prompt, so the
 * prompt differs from its first tokens on whenever the memories found differ.
 */
export function buildPrompt(parts: PromptParts): Message[] {
  const messages: Message[] = [];
  const volatile = context(parts.memories, parts.date);
  if (parts.stablePrefix) {
    if (parts.system) messages.push({ role: 'system', content: parts.system });
    messages.push(...parts.history);
    messages.push({ role: 'user', content: `Context for my next message (not a question):\n${volatile}` });
  } else {
    messages.push({ role: 'system', content: parts.system ? `${volatile}\n\n${parts.system}` : volatile });
    messages.push(...parts.history);
  }
  messages.push({ role: 'user', content: parts.message });
  return messages;
}
