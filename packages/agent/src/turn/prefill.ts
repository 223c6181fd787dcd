import type { ChatRequest, Message, OllamaClient } from '@lunar/ollama-stream';

/**
 * A request that only fills Ollama's KV cache: `messages` evaluated, one token sampled (from the
 * prefill's own logits, so no decode step) and dropped. `num_predict: 0` would not do: Ollama
 * leaves a zero out of its request to the runner, which then generates without a limit. Sent as a
 * plain request, not through `client.chat()`: it is no model call of the turn, and its answer is
 * never read. Resolves when Ollama is done (or failed: a prefill is only ever a head start).
 */
export async function prefill(
  client: OllamaClient,
  request: Omit<ChatRequest, 'messages' | 'stream'>,
  messages: readonly Message[],
  signal: AbortSignal,
): Promise<void> {
  const body = JSON.stringify({
    ...request,
    messages,
    options: { ...request.options, num_predict: 1 },
    stream: false,
  });
  try {
    const response = await client.request({ method: 'POST', path: '/api/chat', body }, { signal });
    await response.body.text();
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
