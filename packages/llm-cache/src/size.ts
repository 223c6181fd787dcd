/** Fixed cost of an entry beyond its chunks (the entry object, its timing array header). */
export const ENTRY_OVERHEAD_BYTES = 128;

/**
 * An estimate of the heap a value holds, without serialising it: string headers and characters,
 * object and array slots. It tracks V8's real footprint closely enough to bound memory (bench 3
 * measures it) and costs no allocation.
 */
export function estimateBytes(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return 16 + value.length;
    case 'number':
      return 8;
    case 'object': {
      if (value === null) return 0;
      if (ArrayBuffer.isView(value)) return 64 + value.byteLength;
      if (Array.isArray(value)) {
        let total = 16 + 8 * value.length;
        for (const item of value) if (typeof item !== 'number') total += estimateBytes(item);
        return total;
      }
      let total = 24;
      for (const key in value) {
        total += 8 + estimateBytes((value as Record<string, unknown>)[key]);
      }
      return total;
    }
    default:
      return 0;
  }
}
