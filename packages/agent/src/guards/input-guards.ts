import { allow, type GuardVerdict, type InputGuard } from './guard.js';

/** Refuses messages longer than `maxChars` characters. */
export function inputLengthGuard(maxChars = 8_000): InputGuard {
  if (!Number.isInteger(maxChars) || maxChars < 1) {
    throw new TypeError(`inputLengthGuard: maxChars must be a positive integer, got ${String(maxChars)}`);
  }
  return {
    name: 'input-length',
    check(text: string): GuardVerdict {
      if (text.length <= maxChars) return allow;
      return {
        action: 'refuse',
        reason: `The message is ${text.length} characters long; the limit is ${maxChars}. Shorten it and try again.`,
      };
    },
  };
}

/**
 * Phrasings seen in prompt-injection attempts. A list to start from, not a defence on its own:
 * pass your own to `injectionGuard` to extend or replace it.
 */
export const DEFAULT_INJECTION_PATTERNS: readonly RegExp[] = Object.freeze([
  /\b(ignore|disregard|forget)\s+(all\s+|any\s+|the\s+|your\s+)?(previous|prior|above|earlier|preceding)\s+(instructions|prompts|rules|messages)\b/i,
  /\b(disregard|ignore|override)\s+(the\s+|your\s+)?(system\s+prompt|system\s+message|guidelines)\b/i,
  /\b(reveal|print|show|repeat|leak)\s+(me\s+)?(your|the)\s+(system\s+prompt|hidden\s+instructions|initial\s+instructions)\b/i,
  /\byou\s+are\s+now\s+(DAN|in\s+developer\s+mode|jailbroken|unrestricted)\b/i,
  /\bdo\s+anything\s+now\b/i,
  /\bpretend\s+(that\s+)?you\s+(have\s+no|are\s+not\s+bound\s+by)\s+(rules|restrictions|guidelines)\b/i,
]);

/** Refuses messages that match a known prompt-injection phrasing. */
export function injectionGuard(patterns: readonly RegExp[] = DEFAULT_INJECTION_PATTERNS): InputGuard {
  if (!Array.isArray(patterns) || patterns.some((pattern) => !(pattern instanceof RegExp))) {
    throw new TypeError('injectionGuard: patterns must be an array of RegExp');
  }
  // A global or sticky flag would make `test` stateful between calls.
  const safe = patterns.map((pattern) => new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '')));
  return {
    name: 'prompt-injection',
    check(text: string): GuardVerdict {
      for (const pattern of safe) {
        const match = pattern.exec(text);
        if (match) {
          return {
            action: 'refuse',
            reason: `The message looks like a prompt-injection attempt ("${match[0]}"). Rephrase the request.`,
          };
        }
      }
      return allow;
    },
  };
}
