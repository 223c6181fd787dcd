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

const today = (date: Date) => `Today is ${date.toISOString().slice(0, 10)}.`;

/**
 * The messages of a turn's first model call.
 *
 * With a stable prefix: the system prompt first, ending with today's date (it changes once a
 * day, so the prompt stays byte-identical from one turn to the next, and the model's KV cache
 * keeps it), then the history, then the memories found, when there are some, as a context
 * message of their own (chat templates render every message in place), then the user's message.
 * Two turns share every token up to the history's end, so Ollama evaluates only the new part,
 * and a turn without memories sends nothing its question does not need.
 *
 * Without (the classic way): the date and the memories at the top of the system prompt, so the
 * prompt differs from its first tokens on whenever the memories found differ.
 */
export function buildPrompt(parts: PromptParts): Message[] {
  const messages: Message[] = [];
  const memories = parts.memories.length > 0 ? `Relevant memories:\n${memoryLines(parts.memories)}` : '';
  if (parts.stablePrefix) {
    messages.push({
      role: 'system',
      content: parts.system ? `${parts.system}\n\n${today(parts.date)}` : today(parts.date),
    });
    messages.push(...parts.history);
    if (memories) {
      messages.push({ role: 'user', content: `Context for my next message (not a question):\n${memories}` });
    }
  } else {
    const volatile = memories ? `${today(parts.date)}\n${memories}` : today(parts.date);
    messages.push({ role: 'system', content: parts.system ? `${volatile}\n\n${parts.system}` : volatile });
    messages.push(...parts.history);
  }
  messages.push({ role: 'user', content: parts.message });
  return messages;
}
