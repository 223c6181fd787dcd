import { EXIT } from './cli-error.js';
import { Interrupts } from './interrupts.js';

export interface InterruptibleScope {
  /** Aborted by the first Ctrl-C. */
  signal: AbortSignal;
  interrupts: Interrupts;
  /** Runs `close` on the way out, after the body, in reverse order of registration. */
  onClose(close: () => Promise<void> | void): void;
}

/**
 * Runs a command's body with Ctrl-C handled (the first aborts `signal`, a second exits 130) and
 * everything it opened closed on the way out. Resolves to 130 when Ctrl-C ended the body.
 */
export async function interruptible(
  notice: (line: string) => void,
  body: (scope: InterruptibleScope) => Promise<number>,
): Promise<number> {
  const interrupts = new Interrupts({ notice, exit: (code) => process.exit(code) });
  const stopListening = interrupts.listen();
  const closers: Array<() => Promise<void> | void> = [];
  try {
    return await body({ signal: interrupts.begin(), interrupts, onClose: (close) => closers.push(close) });
  } catch (error) {
    if (interrupts.interrupted) return EXIT.interrupted;
    throw error;
  } finally {
    stopListening();
    for (const close of closers.reverse()) await close();
  }
}
