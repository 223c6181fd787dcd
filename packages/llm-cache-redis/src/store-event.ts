/**
 * What the events channel carries: `set` (an answer landed: waiters look, other replicas drop their
 * local copy), `released` (a lock was released: waiters look), `deleted`, `cleared`.
 */
export interface StoreEvent {
  type: 'set' | 'released' | 'deleted' | 'cleared';
  /** The cache key; none for `cleared`. */
  key?: string;
  /** Id of the store instance that sent it. */
  origin: string;
  /** With `set`: the written entry's fingerprint (see `entryFingerprint`); older replicas omit it. */
  fingerprint?: string;
}

const TYPES: ReadonlySet<string> = new Set(['set', 'released', 'deleted', 'cleared']);

export function encodeEvent(event: StoreEvent): string {
  return JSON.stringify(event);
}

/** The event in a message, or `undefined` when the message is not one. */
export function parseEvent(message: string): StoreEvent | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { type, key, origin, fingerprint } = parsed as Record<string, unknown>;
  if (typeof type !== 'string' || !TYPES.has(type) || typeof origin !== 'string') return undefined;
  if (key !== undefined && typeof key !== 'string') return undefined;
  if (fingerprint !== undefined && typeof fingerprint !== 'string') return undefined;
  if (type !== 'cleared' && key === undefined) return undefined;
  return parsed as StoreEvent;
}
