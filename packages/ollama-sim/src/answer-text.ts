/**
 * Text the scripted model says. A lead sentence derived from the prompt (its first keywords, or
 * the tool results it was given), then filler sentences of one-token words picked by the
 * request's random source, to exactly `answerTokens` tokens by the simulator's token rule.
 */
import { countTokens, tokenize } from './tokenize.js';

const STOPWORDS = new Set([
  'about',
  'after',
  'again',
  'also',
  'because',
  'been',
  'before',
  'being',
  'between',
  'could',
  'does',
  'doing',
  'from',
  'have',
  'having',
  'here',
  'into',
  'just',
  'like',
  'more',
  'most',
  'only',
  'other',
  'over',
  'please',
  'should',
  'some',
  'such',
  'than',
  'that',
  'their',
  'them',
  'then',
  'there',
  'these',
  'they',
  'this',
  'those',
  'through',
  'very',
  'want',
  'what',
  "what's",
  'when',
  'where',
  'which',
  'while',
  'with',
  'would',
  'your',
  'tell',
  'give',
  'know',
  'can',
  'will',
  'how',
  'why',
  'who',
]);

/** Filler words of at most 4 letters: one token each, with their leading space. */
const FILLER = [
  'the',
  'sim',
  'says',
  'this',
  'is',
  'a',
  'calm',
  'and',
  'it',
  'has',
  'some',
  'more',
  'text',
  'to',
  'fill',
  'time',
  'so',
  'each',
  'word',
  'adds',
  'one',
  'unit',
  'of',
  'load',
  'per',
  'step',
  'for',
  'you',
  'we',
  'keep',
  'on',
  'with',
  'data',
  'here',
  'now',
  'all',
  'runs',
  'fine',
  'as',
  'told',
  'next',
  'part',
  'goes',
  'well',
];

/** The first `limit` distinct keywords of a text: words of 4+ letters that are not stopwords. */
export function keywords(text: string, limit = 3): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/[\p{L}][\p{L}\p{N}'’-]{3,}/gu)) {
    const word = match[0].toLowerCase();
    if (STOPWORDS.has(word) || found.includes(word)) continue;
    found.push(word);
    if (found.length === limit) break;
  }
  return found;
}

function joinList(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** The lead sentence for a prompt. */
export function leadFor(prompt: string): string {
  const found = keywords(prompt);
  return found.length === 0 ? 'Here is a simulated answer.' : `You asked about ${joinList(found)}.`;
}

/**
 * `lead` followed by filler sentences, exactly `answerTokens` tokens long (the lead is cut if it
 * alone is longer).
 */
export function composeAnswer(lead: string, answerTokens: number, random: () => number): string {
  const leadPieces = tokenize(lead);
  if (leadPieces.length >= answerTokens) return leadPieces.slice(0, answerTokens).join('');
  let text = lead;
  let remaining = answerTokens - countTokens(lead);
  while (remaining > 0) {
    if (remaining === 1) {
      text += '.';
      break;
    }
    const sentenceWords = Math.min(remaining - 1, 6 + Math.floor(random() * 7));
    const sentence: string[] = [];
    for (let index = 0; index < sentenceWords; index++) {
      const word = FILLER[Math.floor(random() * FILLER.length)] ?? 'the';
      sentence.push(index === 0 ? word.charAt(0).toUpperCase() + word.slice(1) : word);
    }
    text += ` ${sentence.join(' ')}.`;
    remaining -= sentenceWords + 1;
  }
  return text;
}
