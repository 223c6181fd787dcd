/**
 * Fills a tool call's `arguments` from the user's message, by the tool's JSON-schema
 * `parameters` (the scripted model's argument rules; the README lists them):
 *
 * - `enum`: the first enum value the message contains as a word; else the first value if required.
 * - `number`/`integer`: a number next to a word of the property name ("3 days", "limit 5"), else
 *   the next unused number in the message; else `default`, else (required) `minimum` or 1.
 * - `boolean`: true when a word of the property name is in the message; else `default`, else
 *   (required) false.
 * - `string`, by what the property is for (its name and description):
 *   - a time zone: an IANA name in the message, or a place the IANA database names
 *     ("Tokyo" -> `Asia/Tokyo`); never anything else;
 *   - an arithmetic expression: quoted text or a run of the message that is arithmetic;
 *   - free text (`text`, `fact`, `query`, `content`, `note`, `message`, ...): quoted text, else
 *     the rest of the sentence after the tool's name ("remember that my cat is Miso" ->
 *     "my cat is Miso");
 *   - otherwise the next unused text candidate, searching from where the tool was named:
 *     quoted text first, then a phrase after `in`/`at`/`for`/`about`/`from`/`to`/`near`/`of`/
 *     `on`/`called`/`named` (a run of capitalised words, or up to 4 lower-case words), then any
 *     run of capitalised words not starting a sentence;
 *   a candidate that does not fit the property's `enum`, `pattern`, `format`, `minLength` or
 *   `maxLength` is skipped; else `default`, else (required) the message if it fits.
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
  description?: unknown;
  pattern?: unknown;
  format?: unknown;
  minLength?: unknown;
  maxLength?: unknown;
}

function propertyType(schema: PropertySchema): string {
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  return typeof type === 'string' ? type : 'string';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

type StringKind = 'time-zone' | 'expression' | 'statement' | 'query' | 'phrase';

/** Properties that take a whole statement: "remember that my cat is Miso" -> "my cat is Miso". */
const STATEMENT_WORDS = new Set([
  'text',
  'fact',
  'content',
  'note',
  'message',
  'body',
  'memory',
  'statement',
]);
/** Properties that take what to look for: a phrase after "for"/"about", else the rest of the sentence. */
const QUERY_WORDS = new Set(['query', 'question', 'prompt', 'search', 'keyword', 'keywords', 'topic']);

/** What a string property is for, from its name and description. */
function stringKind(key: string, schema: PropertySchema): StringKind {
  const description = typeof schema.description === 'string' ? schema.description.toLowerCase() : '';
  const words = nameWords(key);
  if (/time ?zone|\biana\b/.test(description) || words.includes('timezone') || key.toLowerCase() === 'tz') {
    return 'time-zone';
  }
  if (words.some((word) => ['expression', 'formula', 'equation'].includes(word))) return 'expression';
  if (/arithmetic|math(ematical)? expression/.test(description)) return 'expression';
  if (words.some((word) => STATEMENT_WORDS.has(word))) return 'statement';
  if (words.some((word) => QUERY_WORDS.has(word))) return 'query';
  return 'phrase';
}

let zoneByPlace: Map<string, string> | undefined;

/** `Tokyo` -> `Asia/Tokyo`, `new york` -> `America/New_York`: the IANA database's place names. */
function zoneForPlace(place: string): string | undefined {
  if (zoneByPlace === undefined) {
    zoneByPlace = new Map();
    for (const zone of Intl.supportedValuesOf('timeZone')) {
      const city = zone
        .slice(zone.lastIndexOf('/') + 1)
        .replaceAll('_', ' ')
        .toLowerCase();
      if (!zoneByPlace.has(city)) zoneByPlace.set(city, zone);
    }
  }
  return zoneByPlace.get(place.trim().toLowerCase());
}

function isTimeZone(value: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const ARITHMETIC =
  /[-+(]?\s*[\d.]+(?:\s*[-+*/%^x×÷]\s*\(?\s*[\d.]+\s*\)?)+|\(\s*[\d.]+(?:\s*[-+*/%^]\s*[\d.]+)+\s*\)(?:\s*[-+*/%^]\s*\(?[\d.]+\)?)*/g;

function isArithmetic(value: string): boolean {
  return (
    /\d/.test(value) && /[-+*/%^×÷]|\b(sqrt|abs|round|floor|ceil|ln|log10|sin|cos|tan|min|max)\(/.test(value)
  );
}

const FORMATS: Readonly<Record<string, RegExp>> = {
  date: /^\d{4}-\d{2}-\d{2}$/,
  'date-time': /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i,
  time: /^\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i,
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  uri: /^[a-z][a-z0-9+.-]*:\S+$/i,
  url: /^[a-z][a-z0-9+.-]*:\/\/\S+$/i,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  ipv4: /^(\d{1,3}\.){3}\d{1,3}$/,
  hostname: /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i,
};

/** True when `value` may go into a string property with `schema` (and of `kind`). */
function fits(value: string, schema: PropertySchema, kind: StringKind): boolean {
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) return false;
  if (typeof schema.minLength === 'number' && value.length < schema.minLength) return false;
  if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) return false;
  if (typeof schema.pattern === 'string') {
    let pattern: RegExp | undefined;
    try {
      pattern = new RegExp(schema.pattern, 'u');
    } catch {
      pattern = undefined;
    }
    if (pattern !== undefined && !pattern.test(value)) return false;
  }
  const format = typeof schema.format === 'string' ? FORMATS[schema.format] : undefined;
  if (format !== undefined && !format.test(value)) return false;
  if (kind === 'time-zone') return isTimeZone(value);
  if (kind === 'expression') return isArithmetic(value);
  return true;
}

/** The rest of the sentence after the word at `from` ("remember that X." -> "X"). */
function clauseAfter(text: string, from: number): string | undefined {
  const word = /^[\p{L}\p{N}_.-]+/u.exec(text.slice(from));
  if (word === null) return undefined;
  const rest = text.slice(from + word[0].length);
  const sentence = /^[^.!?\n]*(?:[.!?](?=\S)[^.!?\n]*)*/u.exec(rest)?.[0] ?? '';
  const clause = sentence
    .replace(/^[\s,:;-]+/, '')
    .replace(/^(?:that|to|about|for|me|us|this|it)\b\s*:?\s*/i, '')
    .replace(/^that\s+/i, '')
    .trim();
  return clause === '' ? undefined : clause;
}

/**
 * Fills `arguments` for a tool with JSON-schema `parameters` from `text`, where the tool was
 * named at `mention` (absent for a `format` schema: then the search starts at the beginning).
 */
export function fillArguments(parameters: unknown, text: string, mention?: number): Record<string, unknown> {
  const from = mention ?? 0;
  const clause = mention === undefined ? undefined : clauseAfter(text, mention);
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
  // Entries, not assignments: a property called `__proto__` stays a property.
  const args: Array<[string, unknown]> = [];

  const ordered = <T extends { position: number }>(items: T[]): T[] => [
    ...items.filter((item) => item.position >= from),
    ...items.filter((item) => item.position < from),
  ];
  /** The first unused value that fits, from `values` in order. */
  const take = (values: Array<string | undefined>, schema: PropertySchema, kind: StringKind) => {
    const pick = values.find(
      (value): value is string => value !== undefined && !usedStrings.has(value) && fits(value, schema, kind),
    );
    if (pick !== undefined) usedStrings.add(pick);
    return pick;
  };
  const quoted = () => ordered(candidates.filter((c) => c.quoted)).map((c) => c.value);
  const phrases = () => ordered(candidates.filter((c) => !c.quoted)).map((c) => c.value);
  const nextString = (schema: PropertySchema, kind: StringKind): string | undefined => {
    if (kind === 'time-zone') {
      const named = [...text.matchAll(/\b(?:[A-Z][A-Za-z]+\/[A-Za-z_]+(?:\/[A-Za-z_]+)?|UTC|GMT)\b/g)].map(
        (m) => m[0],
      );
      return take([...named, ...[...quoted(), ...phrases()].map(zoneForPlace)], schema, kind);
    }
    if (kind === 'expression') {
      const runs = [...text.matchAll(ARITHMETIC)].map((m) => m[0].trim()).sort((a, b) => b.length - a.length);
      return take([...quoted(), ...runs], schema, kind);
    }
    if (kind === 'statement') return take([...quoted(), clause], schema, kind);
    if (kind === 'query') return take([...quoted(), ...phrases(), clause], schema, kind);
    return take([...quoted(), ...phrases()], schema, kind);
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
      const itemSchema: PropertySchema = isRecord(schema.items) ? schema.items : {};
      const item = nextString(itemSchema, stringKind(key, itemSchema));
      value = item !== undefined ? [item] : isRequired ? [] : undefined;
    } else {
      const kind = stringKind(key, schema);
      const whole = text.trim().slice(0, 200);
      value =
        nextString(schema, kind) ??
        schema.default ??
        (isRequired && fits(whole, schema, kind) ? whole : undefined);
    }
    if (value !== undefined) args.push([key, value]);
  }
  return Object.fromEntries(args);
}
