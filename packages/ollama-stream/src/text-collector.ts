/** Gathers a response body up to `limit` bytes. */
export class TextCollector {
  readonly limit: number;
  #parts: Buffer[] = [];
  #size = 0;

  constructor(limit: number) {
    this.limit = limit;
  }

  /** Keep `chunk`; false once the body passed the limit (the part over it is dropped). */
  push(chunk: Buffer): boolean {
    const room = this.limit - this.#size;
    if (chunk.length > room) {
      if (room > 0) this.#parts.push(chunk.subarray(0, room));
      this.#size = this.limit;
      return false;
    }
    this.#parts.push(chunk);
    this.#size += chunk.length;
    return true;
  }

  text(): string {
    return this.#parts.length === 1
      ? this.#parts[0]!.toString()
      : Buffer.concat(this.#parts, this.#size).toString();
  }
}
