import type { Output } from './terminal.js';

/**
 * A one-line progress bar redrawn in place with `\r` (no escape codes), on a terminal only;
 * elsewhere it writes nothing.
 */
export class ProgressBar {
  readonly #stream: Output;
  readonly #width: number;
  #shown = 0;

  constructor(stream: Output, width = 30) {
    this.#stream = stream;
    this.#width = width;
  }

  get enabled(): boolean {
    return this.#stream.isTTY === true;
  }

  /** Shows an empty bar before the first step is done. */
  start(label: string): void {
    if (!this.enabled) return;
    this.#draw(`[${'-'.repeat(this.#width)}] ${label}`);
  }

  update(done: number, total: number, label: string): void {
    if (!this.enabled || total <= 0) return;
    const filled = Math.min(this.#width, Math.round((done / total) * this.#width));
    this.#draw(`[${'#'.repeat(filled)}${'-'.repeat(this.#width - filled)}] ${done}/${total} turns  ${label}`);
  }

  #draw(line: string): void {
    this.#stream.write(`\r${line.padEnd(this.#shown)}`);
    // What is on screen: the line, padded over the longer line it replaced.
    this.#shown = Math.max(line.length, this.#shown);
  }

  /** Removes the bar, leaving the cursor at the start of an empty line. */
  clear(): void {
    if (!this.enabled || this.#shown === 0) return;
    this.#stream.write(`\r${' '.repeat(this.#shown)}\r`);
    this.#shown = 0;
  }
}
