import { Client, type Dispatcher, Pool } from 'undici';

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
  /** The host's probe connection, opened by the first probe. */
  probe: HostClient | undefined;
}

/** Passed as undici's `opaque` on each attempt: the pool that takes it says which host it is. */
export interface Attempt {
  host: HostRecord | undefined;
}

/** Count the request against the host, say on the attempt which host took it, prefix the host's path. */
function routed(record: HostRecord, options: Dispatcher.DispatchOptions): Dispatcher.DispatchOptions {
  record.requests++;
  const attempt = (options as { opaque?: Attempt }).opaque;
  if (attempt) attempt.host = record;
  return record.path === '' ? options : { ...options, path: record.path + options.path };
}

/** An undici Pool for one Ollama host: the connections its calls share. */
export class HostPool extends Pool {
  readonly record: HostRecord;

  constructor(record: HostRecord, options: Pool.Options) {
    super(record.origin, options);
    this.record = record;
    record.pool = this;
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    return super.dispatch(routed(this.record, options), handler);
  }
}

/** One connection of its own to one Ollama host, for probes: they never wait behind calls. */
export class HostClient extends Client {
  readonly record: HostRecord;

  constructor(record: HostRecord, options: Client.Options) {
    super(record.origin, options);
    this.record = record;
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    return super.dispatch(routed(this.record, options), handler);
  }
}
