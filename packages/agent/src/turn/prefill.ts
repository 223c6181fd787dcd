import type { ChatRequest, Message, OllamaClient } from '@lunar/ollama-stream';

/**
 * A model call that only fills Ollama's KV cache: `messages` evaluated, one token sampled (from
 * the prefill's own logits, so no decode step) and dropped. `num_predict: 0` would not do: Ollama
 * leaves a zero out of its request to the runner, which then generates without a limit.
 * Resolves when Ollama is done (or failed: a prefill is only ever a head start); its output
 * reaches no one.
 */
export async function prefill(
  client: OllamaClient,
  request: Omit<ChatRequest, 'messages' | 'stream'>,
  messages: readonly Message[],
  signal: AbortSignal,
): Promise<void> {
  try {
    const stream = client.chat(
      {
        ...request,
        messages: [...messages],
        options: { ...request.options, num_predict: 1 },
        stream: true,
      },
      { signal },
    );
    for await (const _chunk of stream) {
      // Read to the end, so the connection goes back to the pool; the text is not used.
    }
  } catch {
    // An aborted or failed prefill only loses its head start.
  }
}

/** A prefill running beside the turn, stopped (if still running) when the turn ends. */
export class BackgroundPrefill {
  readonly #controller = new AbortController();
  readonly done: Promise<void>;

  constructor(
    client: OllamaClient,
    request: Omit<ChatRequest, 'messages' | 'stream'>,
    messages: readonly Message[],
  ) {
    this.done = prefill(client, request, messages, this.#controller.signal);
  }

  abort(reason: string): void {
    this.#controller.abort(new DOMException(reason, 'AbortError'));
  }
}
