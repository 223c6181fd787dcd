/**
 * Paces decoding at `tokensPerSecond` against an absolute timeline, so timer jitter does not add
 * up. The first token is due when decoding starts: llama.cpp samples it from the logits of the
 * prompt's last token, computed by the prefill's last batch (`update_slots` in
 * tools/server/server-context.cpp), so only the tokens after it cost a decode step each (token n
 * is due at start + (n - 1) / rate). Waits under a millisecond are skipped and made up later;
 * every 64 tokens it yields so other streams and I/O get their turn.
 */
import { monotonicNs } from './clock.js';
import { type Timers, yieldToLoop } from './timers.js';

const YIELD_EVERY = 64;

export class TokenClock {
  readonly startNs = monotonicNs();
  /** Tokens decoded so far. */
  count = 0;
  lastNs = this.startNs;
  readonly #nsPerToken: number;

  constructor(
    tokensPerSecond: number,
    private readonly timers: Timers,
    private readonly signal: AbortSignal,
  ) {
    this.#nsPerToken = tokensPerSecond === Number.POSITIVE_INFINITY ? 0 : 1e9 / tokensPerSecond;
  }

  /** Waits until the next token is decoded. */
  async next(): Promise<void> {
    this.count++;
    if (this.#nsPerToken > 0) {
      const dueNs = this.startNs + BigInt(Math.round((this.count - 1) * this.#nsPerToken));
      const waitMs = Number(dueNs - monotonicNs()) / 1e6;
      if (waitMs >= 1) await this.timers.sleep(waitMs, this.signal);
      else if (this.count % YIELD_EVERY === 0) await yieldToLoop();
    } else if (this.count % YIELD_EVERY === 0) {
      await yieldToLoop();
    }
    if (this.signal.aborted) throw this.signal.reason;
    this.lastNs = monotonicNs();
  }

  /** Time from the start of decoding to the last token. */
  get elapsedNs(): bigint {
    return this.lastNs - this.startNs;
  }
}
