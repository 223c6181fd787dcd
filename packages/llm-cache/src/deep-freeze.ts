/**
 * Freezes a chunk and everything in it. Recorded chunks are shared: by the consumers of one
 * upstream call, and by every later hit. A consumer that tries to change one gets a TypeError at
 * once instead of silently changing the answer for everyone else.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  if (ArrayBuffer.isView(value)) return value; // typed arrays cannot be frozen
  Object.freeze(value);
  if (Array.isArray(value)) {
    for (const item of value) if (typeof item === 'object') deepFreeze(item);
  } else {
    for (const key in value) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
