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

/** Filler sentences made of words of at most 4 letters: one token per word, one for the stop. */
const SENTENCES = [
  'Keep the same part of the text at the top',
  'Then the next call can skip that work',
  'Send each word as soon as it is done',
  'Run the slow jobs side by side',
  'Save what you get back for the next time',
  'Load it once and keep it warm',
  'Less wait up top and more text on the wire',
  'This is a sim and not a real one',
  'Time goes to the load and the read and the text',
  'A warm one is a fast one',
  'Ask once and then use the same for all',
  'Most of the wait is the read of the long text',
  'Then the user sees the work move at once',
  'Each step adds a bit of time',
].map((sentence) => sentence.split(' '));

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
 * `lead` followed by filler sentences picked by `random`, exactly `answerTokens` tokens long (the
 * last sentence is cut short to fit; the lead is cut if it alone is longer).
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
    const sentence = SENTENCES[Math.floor(random() * SENTENCES.length)] ?? ['So'];
    const words = sentence.slice(0, remaining - 1);
    text += ` ${words.join(' ')}.`;
    remaining -= words.length + 1;
  }
  return text;
}
