/**
 * Ctrl-C: the first press aborts what is running (a turn, a benchmark, a start-up step) through
 * its AbortSignal, so the request to Ollama is cancelled; a second press exits at once (130).
 */
export class Interrupts {
  readonly #notice: (line: string) => void;
  readonly #exit: (code: number) => void;
  #controller: AbortController | undefined;
  #presses = 0;

  constructor(options: { notice: (line: string) => void; exit: (code: number) => void }) {
    this.#notice = options.notice;
    this.#exit = options.exit;
  }

  /** A signal for the next operation; Ctrl-C aborts it. The press count starts again. */
  begin(): AbortSignal {
    this.#controller = new AbortController();
    this.#presses = 0;
    return this.#controller.signal;
  }

  /** The operation ended: a press now only counts towards exiting. */
  end(): void {
    this.#controller = undefined;
  }

  /** True when Ctrl-C aborted the current operation. */
  get interrupted(): boolean {
    return this.#controller?.signal.aborted === true;
  }

  press(): void {
    this.#presses += 1;
    if (this.#presses >= 2) {
      this.#exit(130);
      return;
    }
    if (this.#controller !== undefined && !this.#controller.signal.aborted) {
      this.#controller.abort(new Error('Interrupted (Ctrl-C).'));
      this.#notice('Cancelled. Press Ctrl-C again to exit.');
    } else {
      this.#notice('Press Ctrl-C again to exit (or Ctrl-D).');
    }
  }

  /** Handles SIGINT (and SIGTERM as an exit, 143) in this process until the returned function is called. */
  listen(target: NodeJS.Process = process): () => void {
    const onInterrupt = () => this.press();
    const onTerminate = () => this.#exit(143);
    target.on('SIGINT', onInterrupt);
    target.on('SIGTERM', onTerminate);
    return () => {
      target.off('SIGINT', onInterrupt);
      target.off('SIGTERM', onTerminate);
    };
  }
}
