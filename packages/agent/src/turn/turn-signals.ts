/**
 * A turn's one abort chain: the caller's signal aborts the turn's, which aborts every branch (a
 * memory search that may also be dropped alone). `end()` aborts whatever still runs and removes
 * every listener the chain added, so nothing of the turn stays attached to the caller's signal.
 */
export class TurnSignals {
  readonly #controller = new AbortController();
  readonly #unlink: Array<() => void> = [];

  constructor(outer: AbortSignal | undefined) {
    if (outer) this.#follow(outer, this.#controller);
  }

  /** Aborts when the caller aborts or the turn ends. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** A signal that aborts with the turn, or alone through `abort(reason)`. */
  branch(): AbortController {
    const branch = new AbortController();
    this.#follow(this.#controller.signal, branch);
    return branch;
  }

  /** Aborts whatever still runs for the turn (unless it was aborted already) and unlinks the chain. */
  end(reason: unknown): void {
    if (!this.signal.aborted) this.#controller.abort(reason);
    for (const unlink of this.#unlink.splice(0)) unlink();
  }

  #follow(parent: AbortSignal, child: AbortController): void {
    if (parent.aborted) {
      child.abort(parent.reason);
      return;
    }
    const onAbort = () => child.abort(parent.reason);
    parent.addEventListener('abort', onAbort, { once: true });
    this.#unlink.push(() => parent.removeEventListener('abort', onAbort));
  }
}
