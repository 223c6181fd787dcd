import { Deadlines } from './deadlines.js';
import { OllamaError } from './errors.js';
import type { Timeouts } from './options.js';

/**
 * The life of one call: the caller's signal, Lunar's deadlines, and membership in the client's set
 * of calls in flight (so `close()` can abort them), all ending in one abort listener (the exchange,
 * which aborts the HTTP request). `dispose()` clears the timers and removes the signal listener;
 * every call ends with it.
 */
export class RequestScope {
  #reason: OllamaError | undefined;
  readonly deadlines: Deadlines;
  readonly #registry: Set<RequestScope>;
  readonly #userSignal: AbortSignal | undefined;
  #onAbort: ((error: OllamaError) => void) | undefined;

  constructor(
    registry: Set<RequestScope>,
    userSignal: AbortSignal | undefined,
    timeouts: Timeouts,
    streamed: boolean,
    host: string,
  ) {
    this.#registry = registry;
    this.deadlines = new Deadlines(timeouts, streamed, host, (error) => this.abort(error));
    registry.add(this);
    this.#userSignal = userSignal;
    if (userSignal?.aborted) this.#onUserAbort();
    else userSignal?.addEventListener('abort', this.#onUserAbort);
  }

  get aborted(): boolean {
    return this.#reason !== undefined;
  }

  /** The OllamaError the call was aborted with (OLLAMA_ABORTED or OLLAMA_TIMEOUT). */
  get reason(): OllamaError {
    return this.#reason!;
  }

  /** Called once, synchronously, when the call is aborted for any reason. */
  onAbort(listener: (error: OllamaError) => void): void {
    this.#onAbort = listener;
  }

  abort(error: OllamaError): void {
    if (this.#reason !== undefined) return;
    this.#reason = error;
    this.dispose();
    this.#onAbort?.(error);
  }

  dispose(): void {
    this.deadlines.clear();
    this.#userSignal?.removeEventListener('abort', this.#onUserAbort);
    this.#registry.delete(this);
  }

  #onUserAbort = (): void => {
    this.abort(
      new OllamaError('OLLAMA_ABORTED', 'The call to Ollama was aborted by its signal', {
        cause: this.#userSignal?.reason,
      }),
    );
  };
}
