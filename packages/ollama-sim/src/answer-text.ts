/**
 * Text the scripted model says. Every answer is whole sentences, as many as fit in the answer's
 * token budget (counted with the simulator's tokenizer): the sentences that carry something
 * (what was asked, a memory from the context, what each tool returned), then neutral sentences
 * saying the answer is simulated, picked by the request's random source.
 */
import { SimTokenizer } from './tokenizer.js';
import { sameWord } from './words.js';

const text = new SimTokenizer({});
const countTokens = (value: string): number => text.encode(value).length;
/** Token counts of the fixed sentences (` sentence`, as they follow a full stop), counted once. */
const fixedCosts = new Map<string, number>();
const sentenceCost = (sentence: string): number => {
  let cost = fixedCosts.get(sentence);
  if (cost === undefined) {
    cost = countTokens(` ${sentence}`);
    fixedCosts.set(sentence, cost);
  }
  return cost;
};

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
  'called',
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

/** Neutral sentences: what the text is, never a claim about anything else. */
const FILLER = [
  'This text stands in for what a real model would write.',
  'It comes from a scripted model, not from model weights.',
  'Its length follows the answer budget of the simulator.',
  'Each token is streamed as a chunk of its own, as Ollama streams them.',
  'The time it took follows the latency profile in use.',
  'A real model would answer the question itself here.',
];

/** Short closing sentences that make an answer end exactly at its budget. */
const CLOSERS = [
  'The simulated answer ends here.',
  'Nothing more to add.',
  'That is all.',
  'All done.',
  'Done.',
];

/** The first `limit` distinct keywords of a text: words of 4+ letters that are not stopwords. */
export function keywords(value: string, limit = 3): string[] {
  const found: string[] = [];
  for (const match of value.matchAll(/[\p{L}][\p{L}\p{N}'’-]{3,}/gu)) {
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

/**
 * The lead sentence for a prompt: it says the answer is simulated and what was asked about, and,
 * with `draw`, which sampled answer this is (so two sampled answers differ, as a model's do).
 */
export function leadFor(prompt: string, draw?: number): string {
  const found = keywords(prompt);
  const sample = draw === undefined ? '' : ` (draw ${draw})`;
  return found.length === 0
    ? `This is a simulated answer${sample}.`
    : `Simulated answer about ${joinList(found)}${sample}.`;
}

/** A sentence cut to the words that fit in `budget` tokens, with a full stop. */
function cutSentence(sentence: string, budget: number): string {
  const words = sentence.replace(/[.!?]+$/, '').split(' ');
  const close = () => `${words.join(' ').replace(/[,;:]+$/, '')}.`;
  while (words.length > 1 && countTokens(close()) > budget) words.pop();
  return close();
}

/**
 * `sentences`, then filler sentences picked by `random`, then short closing sentences, so the
 * answer is whole sentences and exactly `answerTokens` tokens long (shorter only when the first
 * sentence alone had to be cut at a word to fit, or the budget is below 2 tokens after it).
 */
export function composeAnswer(
  sentences: readonly string[],
  answerTokens: number,
  random: () => number,
): string {
  const first = sentences[0] ?? 'This is a simulated answer.';
  let answer = countTokens(first) > answerTokens ? cutSentence(first, answerTokens) : first;
  let used = countTokens(answer);
  const add = (sentence: string): boolean => {
    const cost = countTokens(` ${sentence}`);
    if (used + cost > answerTokens) return false;
    answer += ` ${sentence}`;
    used += cost;
    return true;
  };
  for (const sentence of sentences.slice(1)) if (!add(sentence)) return answer;
  // Each filler sentence once before any repeats, until the next one would not fit.
  // A filler sentence that would leave exactly one token is skipped: one token is no sentence.
  const fits = (sentence: string) => {
    const left = answerTokens - used - sentenceCost(sentence);
    return left >= 0 && left !== 1;
  };
  let pool: string[] = [];
  for (;;) {
    let fitting = pool.filter(fits);
    if (fitting.length === 0) {
      pool = [...FILLER];
      fitting = pool.filter(fits);
    }
    const next = fitting[Math.floor(random() * fitting.length)];
    if (next === undefined) break;
    pool.splice(pool.indexOf(next), 1);
    answer += ` ${next}`;
    used += sentenceCost(next);
  }
  return answer + closing(answerTokens - used);
}

/** Closing sentences worth exactly `gap` tokens (the fewest, none twice), or nothing when none are. */
function closing(gap: number): string {
  const costs = CLOSERS.map(sentenceCost);
  let best: string[] | undefined;
  for (let subset = 1; subset < 1 << CLOSERS.length; subset++) {
    const chosen = CLOSERS.filter((_, index) => subset & (1 << index));
    const total = costs.reduce((sum, cost, index) => sum + (subset & (1 << index) ? cost : 0), 0);
    if (total === gap && (best === undefined || chosen.length < best.length)) best = chosen;
  }
  return (best ?? []).map((closer) => ` ${closer}`).join('');
}

/** Significant words of a text (3+ letters, not stopwords), lower-case. */
function significant(value: string): string[] {
  return [...value.toLowerCase().matchAll(/[\p{L}\p{N}]{3,}/gu)]
    .map((match) => match[0])
    .filter((word) => !STOPWORDS.has(word));
}

/**
 * The memory line of the context that shares the most words with `question`: lines `- ...`
 * under a heading that mentions memories (how Lunar's agent lists the memories it found).
 */
export function bestMemory(contexts: readonly string[], question: string): string | undefined {
  const asked = significant(question);
  let best: { line: string; score: number } | undefined;
  for (const context of contexts) {
    let inMemories = false;
    for (const line of context.split('\n')) {
      const item = /^\s*[-*]\s+(.+)$/.exec(line);
      if (item === null) {
        inMemories = /memor/i.test(line);
        continue;
      }
      if (!inMemories) continue;
      const memory = (item[1] ?? '').trim();
      const words = significant(memory);
      const score = asked.filter((word) => words.some((other) => sameWord(word, other))).length;
      if (score > 0 && (best === undefined || score > best.score)) best = { line: memory, score };
    }
  }
  return best?.line;
}

const MAX_WORDS = 16;
/** Fields said first: what a tool's answer usually is. */
const FIRST_FIELDS = ['result', 'results', 'answer', 'value', 'output', 'text', 'stored', 'error'];
const fieldRank = (key: string): number => {
  const rank = FIRST_FIELDS.indexOf(key.toLowerCase());
  return rank === -1 ? FIRST_FIELDS.length : rank;
};

function briefText(value: string): string {
  const firstLine = value.trim().split('\n')[0] ?? '';
  const words = firstLine
    .replace(/[.!?]+$/, '')
    .split(/\s+/)
    .filter(Boolean);
  return words.length > MAX_WORDS ? `${words.slice(0, MAX_WORDS).join(' ')}…` : words.join(' ');
}

function briefValue(value: unknown): string | undefined {
  if (typeof value === 'string') return briefText(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return 'none';
  return undefined;
}

/**
 * A tool result in a few words: scalar fields as `key value` (at most `maxPairs`, the result-like
 * ones first; none: just "a result"), an array by its size and first item, a text by its first
 * words.
 */
function briefResult(content: string, maxPairs = 4): { text: string; failed: boolean } {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch {
    return { text: briefText(content), failed: /^error\b/i.test(content.trim()) };
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return { text: 'nothing', failed: false };
    const first = value[0];
    const described =
      first !== null && typeof first === 'object'
        ? briefResult(JSON.stringify(first)).text
        : briefValue(first);
    const count = `${value.length} ${value.length === 1 ? 'item' : 'items'}`;
    return { text: described ? `${count}, the first: ${described}` : count, failed: false };
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.error === 'string') return { text: briefText(record.error), failed: true };
    const pairs = Object.entries(record)
      .sort(([a], [b]) => fieldRank(a) - fieldRank(b))
      .map(([key, field]) => {
        const shown = briefValue(field);
        return shown === undefined ? undefined : `${key} ${shown}`;
      })
      .filter((pair): pair is string => pair !== undefined)
      .slice(0, maxPairs);
    return { text: pairs.length > 0 ? pairs.join(', ') : 'a result', failed: false };
  }
  return { text: briefValue(value) ?? 'nothing', failed: false };
}

/**
 * One sentence per tool result (`get_weather returned temperature 21, sky clear.`), each cut at
 * a word to its share of `answerTokens` when they do not all fit.
 */
export function toolResultAnswer(
  results: ReadonlyArray<{ name: string; content: string }>,
  answerTokens: number,
): string {
  const sentence = ({ name, content }: { name: string; content: string }, pairs?: number) => {
    const { text: brief, failed } = briefResult(content, pairs);
    return failed ? `${name} failed: ${brief}.` : `${name} returned ${brief}.`;
  };
  const whole = results.map((result) => sentence(result)).join(' ');
  if (countTokens(whole) <= answerTokens) return whole;
  // Fewer fields, never a value cut in half: each result gets an equal share of what is left.
  let left = answerTokens;
  const said: string[] = [];
  results.forEach((result, index) => {
    const share = Math.floor(left / (results.length - index));
    let chosen = sentence(result, 0);
    for (let pairs = 3; pairs >= 1; pairs--) {
      const shorter = sentence(result, pairs);
      if (countTokens(` ${shorter}`) <= share) {
        chosen = shorter;
        break;
      }
    }
    if (countTokens(` ${chosen}`) > share) chosen = cutSentence(chosen, Math.max(1, share - 1));
    said.push(chosen);
    left -= countTokens(` ${chosen}`);
  });
  return said.join(' ');
}
