import type { OllamaClient } from '@lunar/ollama-stream';
import type { ProxyLogger, ProxyOperation } from './options.js';

/** Most load/unload requests out at once; past it a hit's keep_alive is not sent (the next one's is). */
export const MAX_KEEP_ALIVE_REQUESTS = 64;

/**
 * What a cache hit owes the host: a hit answers without the host, but its `keep_alive` still
 * means something there (`0`: unload the model now; `10m`: keep it loaded that long). For a hit
 * whose request carries one, the host gets the request Ollama documents for it: `/api/generate`
 * with the model and `keep_alive` and no prompt (`/api/embed` with no input for embedding models),
 * which loads or unloads the model without generating. It is sent beside the hit, never before
 * it: the hit does not wait. One request per model and value at a time (a flood of identical hits
 * sends one), at most 64 at once; aborted by `close()`.
 */
export class KeepAliveOnHit {
  readonly #client: OllamaClient;
  readonly #logger: ProxyLogger | undefined;
  readonly #pending = new Map<string, AbortController>();

  constructor(client: OllamaClient, logger: ProxyLogger | undefined) {
    this.#client = client;
    this.#logger = logger;
  }

  /** Requests out now. */
  get size(): number {
    return this.#pending.size;
  }

  /** Sends the load or unload a hit's `keep_alive` asks for, if it has one. */
  send(operation: ProxyOperation, request: { model: string; keep_alive?: unknown }): void {
    const keepAlive = request.keep_alive;
    if (keepAlive === undefined || keepAlive === null) return;
    const embedding = operation === 'embed' || operation === 'embeddings';
    const key = JSON.stringify([embedding, request.model, keepAlive]);
    if (this.#pending.has(key) || this.#pending.size >= MAX_KEEP_ALIVE_REQUESTS) return;
    const controller = new AbortController();
    this.#pending.set(key, controller);
    const body = JSON.stringify(
      embedding
        ? { model: request.model, input: [], keep_alive: keepAlive }
        : { model: request.model, keep_alive: keepAlive, stream: false },
    );
    const path = embedding ? '/api/embed' : '/api/generate';
    this.#client
      .request({ method: 'POST', path, body }, { signal: controller.signal })
      .then((response) => response.body.bytes())
      .catch((error: unknown) => {
        if (!controller.signal.aborted) {
          this.#logger?.warn(
            { err: error, model: request.model },
            'the keep_alive of a cache hit did not reach the host',
          );
        }
      })
      .finally(() => this.#pending.delete(key));
  }

  /** Aborts every request out. */
  abortAll(reason: Error): void {
    for (const controller of this.#pending.values()) controller.abort(reason);
  }
}
