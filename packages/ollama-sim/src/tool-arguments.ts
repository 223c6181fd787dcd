/**
 * Fills a tool call's `arguments` from the user's message, by the tool's JSON-schema
 * `parameters` (the scripted model's argument rules; the README lists them):
 *
 * - `enum`: the first enum value the message contains as a word; else the first value if required.
 * - `number`/`integer`: a number next to a word of the property name ("3 days", "limit 5"), else
 *   the next unused number in the message; else `default`, else (required) `minimum` or 1.
 * - `boolean`: true when a word of the property name is in the message; else `default`, else
 *   (required) false.
 * - `string`: the next unused text candidate, searching from where the tool was named: quoted
 *   text first, then a phrase after `in`/`at`/`for`/`about`/`from`/`to`/`near`/`of`/`on`/
 *   `called`/`named` (a run of capitalised words, or up to 4 lower-case words), then any run of
 *   capitalised words not starting a sentence; else `default`, else (required) the message.
 * - `array`: a one-element array of what a string would get (or `[]` if required and nothing).
 * - `object`: `{}` when required.
 * Optional properties with nothing found are left out. Keys follow the schema's order.
 */
import { nameWords, sameWord, textWords } from './words.js';

interface Candidate {
  value: string;
  position: number;
  quoted: boolean;
}

const PREPOSITIONS = 'in|at|for|about|from|to|near|of|on|called|named|titled';
const STOP_AFTER = new Set([
  'and',
  'or',
  'but',
  'then',
  'in',
  'at',
  'for',
  'on',
  'to',
  'from',
  'with',
  'about',
  'near',
  'of',
  'please',
  'is',
  'are',
  'was',
  'the',
  'a',
  'an',
  'using',
  'via',
  'by',
]);
const NOT_VALUES = new Set([
  'me',
  'us',
  'you',
  'it',
  'this',
  'that',
  'them',
  'my',
  'your',
  'our',
  'its',
  'their',
  'which',
  'what',
  'how',
]);
const CAPITALISED_RUN = "\\p{Lu}[\\p{L}\\p{N}'’-]*(?:\\s+\\p{Lu}[\\p{L}\\p{N}'’-]*)*";

function stringCandidates(text: string): Candidate[] {
  const quoted: Candidate[] = [];
  const quotePattern = /"([^"]+)"|“([^”]+)”|(?<![\p{L}\p{N}])'([^']+)'(?![\p{L}\p{N}])|‘([^’]+)’/gu;
  for (const match of text.matchAll(quotePattern)) {
    const value = match[1] ?? match[2] ?? match[3] ?? match[4] ?? '';
    quoted.push({ value: value.trim(), position: match.index, quoted: true });
  }
  const others: Candidate[] = [];
  const afterPreposition = new RegExp(
    `(?<![\\p{L}\\p{N}])(?:${PREPOSITIONS})\\s+(?:(?:the|a|an)\\s+)?(${CAPITALISED_RUN}|[\\p{L}\\p{N}][^\\s,.;:!?]*(?:\\s+[\\p{L}\\p{N}][^\\s,.;:!?]*){0,3})`,
    'gu',
  );
  for (const match of text.matchAll(afterPreposition)) {
    const phrase = match[1] ?? '';
    const start = match.index + match[0].length - phrase.length;
    const kept: string[] = [];
    for (const word of phrase.split(/\s+/)) {
      if (STOP_AFTER.has(word.toLowerCase())) break;
      kept.push(word);
    }
    const value = kept.join(' ').replace(/['’]s$/, '');
    if (value !== '' && !NOT_VALUES.has(value.toLowerCase()))
      others.push({ value, position: start, quoted: false });
  }
  for (const match of text.matchAll(new RegExp(CAPITALISED_RUN, 'gu'))) {
    const before = text.slice(0, match.index).trimEnd();
    const startsSentence = before === '' || /[.!?:]$/.test(before);
    const value = match[0].replace(/['’]s$/, '');
    if (startsSentence || value === 'I' || others.some((other) => other.position === match.index)) continue;
    if (quoted.some((q) => match.index >= q.position && match.index <= q.position + q.value.length + 1))
      continue;
    others.push({ value, position: match.index, quoted: false });
  }
  others.sort((a, b) => a.position - b.position);
  return [...quoted, ...others];
}

interface PropertySchema {
  type?: unknown;
  enum?: unknown;
  default?: unknown;
  minimum?: unknown;
  items?: unknown;
}

function propertyType(schema: PropertySchema): string {
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  return typeof type === 'string' ? type : 'string';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Fills `arguments` for a tool with JSON-schema `parameters` from `text`, named at `from`. */
export function fillArguments(parameters: unknown, text: string, from = 0): Record<string, unknown> {
  const properties = isRecord(parameters) && isRecord(parameters.properties) ? parameters.properties : {};
  const required = new Set(
    isRecord(parameters) && Array.isArray(parameters.required) ? parameters.required.map(String) : [],
  );
  const candidates = stringCandidates(text);
  const numbers = [...text.matchAll(/(?<![\p{L}\p{N}.])-?\d+(?:\.\d+)?/gu)].map((match) => ({
    value: Number(match[0]),
    position: match.index,
    end: match.index + match[0].length,
  }));
  const words = textWords(text);
  const usedStrings = new Set<string>();
  const usedNumbers = new Set<number>();
  const args: Record<string, unknown> = {};

  const ordered = <T extends { position: number }>(items: T[]): T[] => [
    ...items.filter((item) => item.position >= from),
    ...items.filter((item) => item.position < from),
  ];
  const nextString = (): string | undefined => {
    const pick = [
      ...ordered(candidates.filter((c) => c.quoted)),
      ...ordered(candidates.filter((c) => !c.quoted)),
    ].find((candidate) => !usedStrings.has(candidate.value));
    if (pick !== undefined) usedStrings.add(pick.value);
    return pick?.value;
  };

  for (const [key, rawSchema] of Object.entries(properties)) {
    const schema: PropertySchema = isRecord(rawSchema) ? rawSchema : {};
    const isRequired = required.has(key);
    const keyWords = nameWords(key);
    const type = propertyType(schema);
    let value: unknown;
    if (Array.isArray(schema.enum) && schema.enum.length > 0) {
      value = schema.enum.find(
        (option) =>
          typeof option === 'string' && words.some((word) => sameWord(word.word, option.toLowerCase())),
      );
      if (value === undefined && isRequired) value = schema.enum[0];
    } else if (type === 'number' || type === 'integer') {
      const near = numbers.find((number, index) => {
        if (usedNumbers.has(index)) return false;
        const around = words.filter(
          (word) => word.position >= number.position - 24 && word.position <= number.end + 2,
        );
        return around.some((word) => keyWords.some((keyWord) => sameWord(word.word, keyWord)));
      });
      const pick = near ?? ordered(numbers).find((number) => !usedNumbers.has(numbers.indexOf(number)));
      if (pick !== undefined) {
        usedNumbers.add(numbers.indexOf(pick));
        value = type === 'integer' ? Math.trunc(pick.value) : pick.value;
      } else {
        value =
          schema.default ??
          (isRequired ? (typeof schema.minimum === 'number' ? schema.minimum : 1) : undefined);
      }
    } else if (type === 'boolean') {
      const named = words.some((word) => keyWords.some((keyWord) => sameWord(word.word, keyWord)));
      value = named ? true : (schema.default ?? (isRequired ? false : undefined));
    } else if (type === 'object') {
      value = isRequired ? {} : undefined;
    } else if (type === 'array') {
      const item = nextString();
      value = item !== undefined ? [item] : isRequired ? [] : undefined;
    } else {
      value = nextString() ?? schema.default ?? (isRequired ? text.trim().slice(0, 200) : undefined);
    }
    if (value !== undefined) args[key] = value;
  }
  return args;
}
