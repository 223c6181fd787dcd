import type { z } from 'zod';

/** How many zod issues an invalid-arguments message lists before it says "and N more". */
const MAX_ISSUES = 5;

/**
 * The text the model reads for a value: strings as they are, `undefined` as an empty string,
 * anything else as compact JSON. Throws when the value cannot be written as JSON.
 */
export function serializeValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return JSON.stringify(value) ?? '';
}

/**
 * Cut `text` to at most `maxChars` characters, note included, never splitting a surrogate pair.
 * The note tells the model how much it did not see.
 */
export function truncateOutput(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const total = text.length.toLocaleString('en-US');
  const note = (kept: number) =>
    `\n[output cut: showing the first ${kept.toLocaleString('en-US')} of ${total} characters]`;
  let kept = Math.max(0, maxChars - note(maxChars).length);
  const code = text.charCodeAt(kept - 1);
  if (code >= 0xd800 && code <= 0xdbff) kept -= 1;
  const cut = text.slice(0, kept) + note(kept);
  return cut.length <= maxChars ? cut : text.slice(0, maxChars);
}

function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text === '' ? '(arguments)' : text;
}

/** zod's issues in one line, each with the path the model has to fix. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const listed = issues.slice(0, MAX_ISSUES).map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
  const more = issues.length - listed.length;
  return listed.join('; ') + (more > 0 ? `; and ${more} more` : '');
}
