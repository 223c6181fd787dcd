/** Limits on the shape of a JSON text, checked on the text before it is parsed. */
export interface JsonLimits {
  /** Deepest nesting of objects and arrays. */
  readonly maxDepth: number;
  /** Most objects and arrays in the whole text (a chat message is one object, a tool call two more). */
  readonly maxContainers: number;
}

/**
 * 64 levels (Ollama's requests nest a tool's schema a few levels deep) and 2,000 objects and
 * arrays (a chat of a thousand-odd messages with twenty tools): parsing, keying and validating
 * that much takes a few milliseconds of the event loop; a 1 MiB body of 340,000 empty messages
 * takes over 100.
 */
export const DEFAULT_JSON_LIMITS: JsonLimits = Object.freeze({ maxDepth: 64, maxContainers: 2_000 });

/**
 * The limit JSON `text` goes past, in words (`nested more than 64 levels deep`, `made of more than 2000
 * objects and arrays`), or undefined. One pass over the text that skips strings and stops at the
 * first limit passed: no allocation, no recursion, so it runs before the text is parsed and a
 * hostile body never reaches a parse, a recursive walk or a validation that grows with its shape.
 */
export function jsonLimitPassed(text: string, limits: JsonLimits = DEFAULT_JSON_LIMITS): string | undefined {
  let depth = 0;
  let containers = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c)
        index++; // a backslash: the next character is escaped
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) {
      inString = true;
    } else if (char === 0x7b || char === 0x5b) {
      if (++depth > limits.maxDepth) return `nested more than ${limits.maxDepth} levels deep`;
      if (++containers > limits.maxContainers)
        return `made of more than ${limits.maxContainers} objects and arrays`;
    } else if (char === 0x7d || char === 0x5d) {
      depth--;
    }
  }
  return undefined;
}
