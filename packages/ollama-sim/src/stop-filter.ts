/**
 * Applies `options.stop` to streamed text like Ollama: text that might be the start of a stop
 * sequence is held back until it is clear; when a stop sequence appears, the text before it is
 * released and generation ends (the stop sequence itself is never sent).
 */
export class StopFilter {
  /** Text released so far. */
  released = '';
  #pending = '';

  constructor(private readonly stops: readonly string[]) {}

  /** Adds a decoded piece; returns the text to send now and whether a stop sequence was hit. */
  push(piece: string): { text: string; stopped: boolean } {
    if (this.stops.length === 0) {
      this.released += piece;
      return { text: piece, stopped: false };
    }
    const candidate = this.#pending + piece;
    let stopAt = -1;
    for (const stop of this.stops) {
      const index = candidate.indexOf(stop);
      if (index !== -1 && (stopAt === -1 || index < stopAt)) stopAt = index;
    }
    if (stopAt !== -1) {
      const text = candidate.slice(0, stopAt);
      this.#pending = '';
      this.released += text;
      return { text, stopped: true };
    }
    let hold = 0;
    for (const stop of this.stops) {
      for (let length = Math.min(stop.length - 1, candidate.length); length > hold; length--) {
        if (candidate.endsWith(stop.slice(0, length))) {
          hold = length;
          break;
        }
      }
    }
    const text = candidate.slice(0, candidate.length - hold);
    this.#pending = candidate.slice(candidate.length - hold);
    this.released += text;
    return { text, stopped: false };
  }

  /** Releases what is still held back (the text ended without a stop sequence). */
  flush(): string {
    const text = this.#pending;
    this.#pending = '';
    this.released += text;
    return text;
  }
}
