import type { ChatRequest, KeepAlive, Message, ModelOptions, OllamaClient, Tool } from '@lunar/ollama-stream';
import type { Optimizations } from '../agent/agent-config.js';
import { prefill } from './prefill.js';
import { buildPrompt } from './prompt.js';

/** What the model calls of an agent's turns are made of (part of the turn's setup). */
export interface ModelCallSetup {
  model: string;
  client: OllamaClient;
  system: string | undefined;
  ollamaTools: readonly Tool[] | undefined;
  options: ModelOptions | undefined;
  keepAlive: KeepAlive;
  now: () => Date;
}

/** Everything of a turn's model calls but their messages. */
export function chatRequestOf(
  setup: ModelCallSetup,
  optimizations: Pick<Optimizations, 'warmup'>,
): Omit<ChatRequest, 'messages' | 'stream'> {
  return {
    model: setup.model,
    ...(setup.ollamaTools ? { tools: setup.ollamaTools } : {}),
    ...(setup.options ? { options: setup.options } : {}),
    ...(optimizations.warmup ? { keep_alive: setup.keepAlive } : {}),
  };
}

/**
 * Has Ollama evaluate the prompt the next turn after `history` starts with (the `prefixWarmup`
 * optimization): the turn's messages with an empty question, so the slot holds every token up to
 * where the question's text will begin (for llama3.2, the tool definitions it renders in the last
 * user message; for qwen3, the whole history, which the next question re-renders without the
 * previous one's ` /think`). Resolves when Ollama is done; never rejects (a head start only).
 */
export function prefillNextTurn(
  setup: ModelCallSetup,
  optimizations: Pick<Optimizations, 'warmup' | 'stablePrefix'>,
  history: readonly Message[],
  signal: AbortSignal,
): Promise<void> {
  const messages = buildPrompt({
    system: setup.system,
    history,
    memories: [],
    message: '',
    date: setup.now(),
    stablePrefix: optimizations.stablePrefix,
  });
  return prefill(setup.client, chatRequestOf(setup, optimizations), messages, signal);
}
