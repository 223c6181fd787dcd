import { type Dispatcher, Pool } from 'undici';

/** What Lunar tracks per Ollama host; kept across the host's pools (a skipped host gets a new one). */
export interface HostRecord {
  /** Base URL, with the path prefix if any. */
  readonly url: string;
  readonly origin: string;
  /** Path prefix without a trailing slash, e.g. `/ollama`, or ``. */
  readonly path: string;
  requests: number;
  failures: number;
  /** performance.now() until which the host is skipped; 0 when it is in use. */
  downUntil: number;
  /** Refusals in a row, for the skip backoff. */
  downStreak: number;
  pool: HostPool | undefined;
}

/** Passed as undici's `opaque` on each attempt: the pool that takes it says which host it is. */
export interface Attempt {
  host: HostRecord | undefined;
}

/** An undici Pool for one Ollama host that counts its requests and prefixes the host's path. */
export class HostPool extends Pool {
  readonly record: HostRecord;

  /** `adopt: false` for a pool of its own (a probe of a skipped host): `record.pool` stays as it is. */
  constructor(record: HostRecord, options: Pool.Options, adopt = true) {
    super(record.origin, options);
    this.record = record;
    if (adopt) record.pool = this;
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    this.record.requests++;
    const attempt = (options as { opaque?: Attempt }).opaque;
    if (attempt) attempt.host = this.record;
    const routed = this.record.path === '' ? options : { ...options, path: this.record.path + options.path };
    return super.dispatch(routed, handler);
  }
}
