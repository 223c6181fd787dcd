/**
 * Which offered tools a user message names (the scripted model's tool rule).
 *
 * A tool is named when the message contains its exact name (case-insensitive, as a whole word),
 * or when every significant word of its name appears in the message. A name's words come from
 * splitting on `_`, `-`, `.` and camelCase; generic verbs and small words (`get`, `fetch`,
 * `search`, `list`, `the`…, see GENERIC_WORDS) are not significant, and a plural `s`/`es` is
 * ignored. So `get_weather` is named by "weather", `search_docs` by "doc" or "docs", and a tool
 * whose name is only generic words (`search`) only by its exact name. When two named tools'
 * significant words overlap, the one with more words wins (`get_weather_forecast` over
 * `get_weather` for "weather forecast"). Tools are returned in the order they are first named.
 */
import { escapeRegExp, nameWords, sameWord, textWords } from './words.js';

export const GENERIC_WORDS: ReadonlySet<string> = new Set([
  'get',
  'set',
  'fetch',
  'list',
  'search',
  'find',
  'lookup',
  'look',
  'up',
  'run',
  'do',
  'call',
  'make',
  'create',
  'update',
  'delete',
  'remove',
  'add',
  'read',
  'write',
  'query',
  'check',
  'show',
  'current',
  'the',
  'a',
  'an',
  'to',
  'of',
  'for',
  'by',
  'and',
  'with',
  'from',
  'in',
  'on',
  'tool',
  'api',
  'info',
]);

export interface ToolMention {
  name: string;
  /** Offset of the mention in the message. */
  position: number;
}

function exactMention(text: string, name: string): number {
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}_])${escapeRegExp(name)}(?![\\p{L}\\p{N}_])`, 'iu');
  return text.search(pattern);
}

/** The tools named by `text`, in the order they are first named. */
export function findToolMentions(text: string, toolNames: readonly string[]): ToolMention[] {
  const words = textWords(text);
  const found: Array<ToolMention & { significant: string[]; order: number }> = [];
  toolNames.forEach((name, order) => {
    if (found.some((mention) => mention.name === name)) return;
    const significant = nameWords(name).filter((word) => !GENERIC_WORDS.has(word));
    const exact = exactMention(text, name);
    if (exact !== -1) {
      found.push({ name, position: exact, significant, order });
      return;
    }
    if (significant.length === 0) return;
    let position = Number.POSITIVE_INFINITY;
    for (const word of significant) {
      const hit = words.find((candidate) => sameWord(candidate.word, word));
      if (hit === undefined) return;
      position = Math.min(position, hit.position);
    }
    found.push({ name, position, significant, order });
  });
  const specific = found.filter(
    (mention) =>
      !found.some(
        (other) =>
          other !== mention &&
          other.significant.length > mention.significant.length &&
          mention.significant.every((word) => other.significant.includes(word)),
      ),
  );
  specific.sort((a, b) => a.position - b.position || a.order - b.order);
  return specific.map(({ name, position }) => ({ name, position }));
}
