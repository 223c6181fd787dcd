import type { EventEmitter } from 'node:events';

// Taken when this module loads, before a test installs fake timers: waitFor keeps real time.
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

/** What {@link waitFor} listens to, and how long it waits. */
export interface WaitForOptions {
  /** Fails after this long, in real ms. Default 10,000. */
  timeoutMs?: number;
  /** What the test waits for, said in the failure. Default: the condition's source. */
  message?: string;
  /**
   * Checks again on each of these events instead of polling: `[emitter, 'event']`. Without
   * events, the condition is checked every `intervalMs`.
   */
  events?: ReadonlyArray<readonly [EventEmitter | EventTarget, string]>;
  /** How often to check without events. Default 5 ms. */
  intervalMs?: number;
}

/**
 * Resolves as soon as `condition` holds: checked at once, then on each given event or every few
 * ms. Rejects with an error that names the condition when it does not hold within `timeoutMs`
 * (a bound against a hung test, never a measure of speed). Runs on real timers even under fake ones.
 */
export function waitFor(
  condition: () => boolean | Promise<boolean>,
  options: WaitForOptions = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 5;
  const events = options.events ?? [];
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    let checking = false;
    let again = false;
    let poll: ReturnType<typeof setTimeout> | undefined;
    const unlisten: Array<() => void> = [];
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      realClearTimeout(deadline);
      if (poll !== undefined) realClearTimeout(poll);
      for (const remove of unlisten) remove();
      if (error === undefined) resolve();
      else reject(error);
    };
    const check = async (): Promise<void> => {
      if (checking) {
        again = true; // an event during a check: look once more after it
        return;
      }
      checking = true;
      try {
        do {
          again = false;
          if (await condition()) return finish();
        } while (again && !settled);
      } catch (error) {
        return finish(error instanceof Error ? error : new Error(String(error)));
      } finally {
        checking = false;
      }
      if (events.length === 0 && !settled) poll = realSetTimeout(() => void check(), intervalMs);
    };
    const deadline = realSetTimeout(() => {
      const what = options.message ?? condition.toString();
      finish(new Error(`waitFor: not true within ${timeoutMs} ms: ${what}`));
    }, timeoutMs);
    for (const [emitter, event] of events) {
      const listener = () => void check();
      if ('addEventListener' in emitter) {
        emitter.addEventListener(event, listener);
        unlisten.push(() => emitter.removeEventListener(event, listener));
      } else {
        emitter.on(event, listener);
        unlisten.push(() => emitter.off(event, listener));
      }
    }
    void check();
  });
}

/**
 * The arguments of the next `event` from `emitter`; rejects with a message naming the event when
 * none comes within `timeoutMs` (default 10,000), or when the emitter emits `'error'` first.
 */
export function nextEvent(
  emitter: EventEmitter,
  event: string,
  options: { timeoutMs?: number } = {},
): Promise<unknown[]> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const onEvent = (...args: unknown[]) => {
      cleanup();
      resolve(args);
    };
    const onError = (error: unknown) => {
      cleanup();
      reject(error);
    };
    const timer = realSetTimeout(() => {
      cleanup();
      reject(new Error(`nextEvent: no '${event}' event within ${timeoutMs} ms`));
    }, timeoutMs);
    const cleanup = () => {
      realClearTimeout(timer);
      emitter.off(event, onEvent);
      if (event !== 'error') emitter.off('error', onError);
    };
    emitter.on(event, onEvent);
    if (event !== 'error') emitter.on('error', onError);
  });
}
