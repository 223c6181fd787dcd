/**
 * Requests in flight that hold upstream work (agent turns, proxied calls), each with its
 * AbortController, so shutdown can wait for them and, past the grace period, abort them.
 */
export class InFlight {
  readonly #controllers = new Set<AbortController>();
  readonly #idle: Array<() => void> = [];

  get size(): number {
    return this.#controllers.size;
  }

  /** Tracks a new request; aborting `signal` (the client leaving) aborts it. */
  enter(signal: AbortSignal): AbortController {
    const controller = new AbortController();
    this.#controllers.add(controller);
    if (signal.aborted) controller.abort(signal.reason);
    else signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
    return controller;
  }

  leave(controller: AbortController): void {
    if (!this.#controllers.delete(controller) || this.#controllers.size > 0) return;
    for (const resolve of this.#idle.splice(0)) resolve();
  }

  /** Resolves when nothing is in flight. */
  idle(): Promise<void> {
    if (this.#controllers.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  abortAll(reason: Error): void {
    for (const controller of this.#controllers) controller.abort(reason);
  }
}
