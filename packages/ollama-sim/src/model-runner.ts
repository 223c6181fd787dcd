/**
 * One model's runtime, like an Ollama runner: loaded or not (load takes `loadMs`, concurrent
 * requests share one load), unloaded when its keep_alive runs out after the last request,
 * `parallel` slots taken first come first served with a bounded wait, and a prefix cache per
 * slot (the tokens of the slot's last prompt and answer).
 */
import { nowNs } from './clock.js';
import { httpError } from './errors.js';
import type { ResolvedModel } from './model-catalog.js';
import type { StatsCounter, WaitQueue } from './stats.js';
import type { Timers } from './timers.js';

export const BUSY_MESSAGE = 'server busy, please try again.  maximum pending requests exceeded';
/** What Go's `time.Duration(math.MaxInt64)` adds to now: about 292 years, in ms. */
const FOREVER_MS = 9_223_372_036_854;
export const DEFAULT_CONTEXT_LENGTH = 4096;

export interface Slot {
  readonly index: number;
  busy: boolean;
  /** Token ids whose KV cache this slot holds. */
  cache: readonly number[];
}

interface Waiter {
  resolve(slot: Slot): void;
  reject(reason: unknown): void;
  signal: AbortSignal;
  onAbort(): void;
}

/** Resolves like `promise`, or rejects as soon as `signal` aborts. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** The number of leading tokens two sequences share. */
export function sharedPrefix(a: readonly number[], b: readonly number[]): number {
  const length = Math.min(a.length, b.length);
  let index = 0;
  while (index < length && a[index] === b[index]) index++;
  return index;
}

export class ModelRunner {
  #loaded = false;
  #loading: Promise<void> | undefined;
  #loadKey = '';
  #contextLength = DEFAULT_CONTEXT_LENGTH;
  #refs = 0;
  #keepAliveMs: number;
  #expiresAtNs = 0n;
  #expiryTimer: NodeJS.Timeout | undefined;
  readonly #slots: Slot[];
  readonly #waiters: Waiter[] = [];

  constructor(
    readonly model: ResolvedModel,
    private readonly deps: {
      timers: Timers;
      stats: StatsCounter;
      queue: WaitQueue;
      /** Aborted when the simulator closes. */
      closed: AbortSignal;
      defaultKeepAliveMs: number;
    },
  ) {
    this.#keepAliveMs = deps.defaultKeepAliveMs;
    this.#slots = Array.from({ length: model.parallel }, (_, index) => ({ index, busy: false, cache: [] }));
  }

  get loaded(): boolean {
    return this.#loaded;
  }

  get contextLength(): number {
    return this.#contextLength;
  }

  /** When the model will unload (or would, if it went idle now), in epoch ns. */
  get expiresAtNs(): bigint {
    if (this.#refs === 0 && this.#expiryTimer !== undefined) return this.#expiresAtNs;
    const ms = this.#keepAliveMs === Number.POSITIVE_INFINITY ? FOREVER_MS : this.#keepAliveMs;
    return nowNs() + BigInt(Math.round(ms * 1e6));
  }

  /** A request starts using the model; its keep_alive becomes the model's. */
  retain(keepAliveMs: number): void {
    this.#refs++;
    this.#keepAliveMs = keepAliveMs;
    this.deps.timers.clear(this.#expiryTimer);
    this.#expiryTimer = undefined;
  }

  /** A request is done with the model; the keep_alive countdown starts when none is left. */
  release(): void {
    this.#refs--;
    if (this.#refs === 0) this.#scheduleExpiry();
  }

  #scheduleExpiry(): void {
    this.deps.timers.clear(this.#expiryTimer);
    this.#expiryTimer = undefined;
    if (!this.#loaded && this.#loading === undefined) return;
    if (this.#keepAliveMs <= 0) {
      this.unload();
      return;
    }
    if (this.#keepAliveMs === Number.POSITIVE_INFINITY) return;
    this.#expiresAtNs = nowNs() + BigInt(Math.round(this.#keepAliveMs * 1e6));
    this.#expiryTimer = this.deps.timers.after(this.#keepAliveMs, () => {
      this.#expiryTimer = undefined;
      if (this.#refs === 0) this.unload();
    });
  }

  /** Marks the model loaded with `loadKey` without paying the load (preload at start). */
  preload(loadKey: string): void {
    this.#loaded = true;
    this.#loadKey = loadKey;
    if (this.#refs === 0) this.#scheduleExpiry();
  }

  /**
   * Loads the model if needed (paying `loadMs`), or reloads it when the load-time options in
   * `loadKey` differ from the loaded ones, like Ollama's `needsReload`.
   */
  async ensureLoaded(loadKey: string, contextLength: number, signal: AbortSignal): Promise<void> {
    if (this.#loaded && this.#loadKey !== loadKey && this.#loading === undefined) this.unload();
    if (!this.#loaded && this.#loading === undefined) {
      this.#loadKey = loadKey;
      this.#contextLength = contextLength;
      const loading = this.deps.timers.sleep(this.model.latency.loadMs, this.deps.closed).then(() => {
        this.#loaded = true;
        this.#loading = undefined;
        this.deps.stats.modelLoads++;
      });
      loading.catch(() => {
        this.#loading = undefined;
      });
      this.#loading = loading;
    }
    if (this.#loading !== undefined) await raceAbort(this.#loading, signal);
  }

  /** Unloads now: drops every slot's prefix cache and any keep_alive timer. */
  unload(): void {
    this.#loaded = false;
    this.deps.timers.clear(this.#expiryTimer);
    this.#expiryTimer = undefined;
    for (const slot of this.#slots) slot.cache = [];
  }

  /** Ollama's unload request (`keep_alive: 0` with no prompt): now if idle, else when idle. */
  requestUnload(): void {
    this.#keepAliveMs = 0;
    if (this.#refs === 0) this.unload();
  }

  /** True when a new request would have to wait and the wait queue is full. */
  get wouldReject(): boolean {
    return this.#slots.every((slot) => slot.busy) && this.deps.queue.full;
  }

  /**
   * Takes the free slot whose cache shares the longest prefix with `tokens`, or waits in line for
   * the next slot to free up. Past the queue limit: a 503.
   */
  acquireSlot(tokens: readonly number[], signal: AbortSignal): Promise<Slot> {
    let best: Slot | undefined;
    let bestShared = -1;
    for (const slot of this.#slots) {
      if (slot.busy) continue;
      const shared = sharedPrefix(tokens, slot.cache);
      if (shared > bestShared) {
        best = slot;
        bestShared = shared;
      }
    }
    if (best !== undefined) {
      best.busy = true;
      return Promise.resolve(best);
    }
    if (this.deps.queue.full) {
      this.deps.stats.rejectedBusy++;
      return Promise.reject(httpError(503, BUSY_MESSAGE));
    }
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const index = this.#waiters.indexOf(waiter);
          if (index !== -1) {
            this.#waiters.splice(index, 1);
            this.deps.queue.queued--;
          }
          reject(signal.reason);
        },
      };
      signal.addEventListener('abort', waiter.onAbort, { once: true });
      this.#waiters.push(waiter);
      this.deps.queue.queued++;
    });
  }

  /** Frees a slot, keeping `cache` as its prefix cache; the first waiter in line gets it. */
  releaseSlot(slot: Slot, cache: readonly number[]): void {
    slot.cache = this.#loaded ? cache.slice(0, this.#contextLength) : [];
    const next = this.#waiters.shift();
    if (next === undefined) {
      slot.busy = false;
      return;
    }
    this.deps.queue.queued--;
    next.signal.removeEventListener('abort', next.onAbort);
    next.resolve(slot);
  }

  /** Rejects every waiter and clears timers (the simulator is closing). */
  dispose(reason: unknown): void {
    this.deps.timers.clear(this.#expiryTimer);
    this.#expiryTimer = undefined;
    for (const waiter of this.#waiters.splice(0)) {
      this.deps.queue.queued--;
      waiter.signal.removeEventListener('abort', waiter.onAbort);
      waiter.reject(reason);
    }
  }
}
