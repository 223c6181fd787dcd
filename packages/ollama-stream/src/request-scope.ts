import { Deadlines } from './deadlines.js';
import { type OllamaDeadline, OllamaError } from './errors.js';
import type { Attempt } from './host-pool.js';
import type { ResolvedTimeouts } from './options.js';
import { timeoutError } from './timeout-error.js';

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
  readonly #connections: number;
  #onAbort: ((error: OllamaError) => void) | undefined;
  /** The attempt in progress: which host's pool took it, once one did (set by the exchange). */
  attempt: Attempt | undefined;
  /** True once the attempt went out on a connection; false while it waits for one (set by the exchange). */
  sent = false;

  constructor(
    registry: Set<RequestScope>,
    userSignal: AbortSignal | undefined,
    timeouts: ResolvedTimeouts,
    host: string,
    connections: number,
  ) {
    this.#registry = registry;
    this.#connections = connections;
    this.deadlines = new Deadlines(timeouts, host, this.#onDeadline);
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

  #onDeadline = (deadline: OllamaDeadline): void => {
    this.abort(
      timeoutError({
        deadline,
        timeoutMs: this.deadlines.value(deadline),
        host: this.attempt?.host?.url ?? this.deadlines.host,
        sent: this.sent,
        record: this.attempt?.host,
        connections: this.#connections,
      }),
    );
  };

  #onUserAbort = (): void => {
    this.abort(
      new OllamaError('OLLAMA_ABORTED', 'The call to Ollama was aborted by its signal', {
        cause: this.#userSignal?.reason,
      }),
    );
  };
}
