/** Characters JSON forbids raw inside a string: a string holding one sends its line to JSON.parse. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u001f]/;
const BACKSLASH = 92;

const CHAT_END = '"},"done":false}';
const GENERATE_RESPONSE = '","response":"';
const GENERATE_END = '","done":false}';
const THINKING = '","thinking":"';

/** Index of the quote that ends the JSON string whose text starts at `from`, or -1. */
function closingQuote(line: string, from: number): number {
  let quote = line.indexOf('"', from);
  while (quote !== -1 && line.charCodeAt(quote - 1) === BACKSLASH) {
    let backslashes = 1;
    for (let at = quote - 2; at >= from && line.charCodeAt(at) === BACKSLASH; at--) backslashes++;
    if (backslashes % 2 === 0) break;
    quote = line.indexOf('"', quote + 1);
  }
  return quote;
}

/** The value of the JSON string text `line[from, to)`, or undefined if it is not valid JSON. */
function stringValue(line: string, from: number, to: number): string | undefined {
  const raw = line.slice(from, to);
  if (raw.indexOf('\\') === -1) return CONTROL.test(raw) ? undefined : raw;
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return undefined;
  }
}

/**
 * A shortcut past JSON.parse for the lines that make up almost all of an Ollama stream: chat and
 * generate chunks with `done: false` in the exact layout Go's encoder writes, e.g.
 * `{"model":"M","created_at":"T","message":{"role":"assistant","content":"C"},"done":false}`.
 * The model and role are learnt from a line JSON.parse read, so each line only has its time and
 * text cut out. A line that differs in any byte (another field, whitespace, a tool call, the final
 * chunk) returns undefined and goes to JSON.parse. What it returns equals JSON.parse's result,
 * key order included (a differential fuzz test holds it to that).
 */
export class ChunkShortcut {
  #model: unknown;
  #role: unknown;
  /** `{"model":"M","created_at":"` */
  #prefix = '';
  /** `","message":{"role":"R","content":"` */
  #chatMiddle = '';

  parse(line: string): object | undefined {
    const prefix = this.#prefix;
    if (prefix === '' || line.lastIndexOf(prefix, 0) !== 0) return undefined;
    const timeEnd = line.indexOf('"', prefix.length);
    if (timeEnd === -1) return undefined;
    const createdAt = line.slice(prefix.length, timeEnd);
    if (createdAt.indexOf('\\') !== -1 || CONTROL.test(createdAt)) return undefined;
    if (this.#chatMiddle !== '' && line.startsWith(this.#chatMiddle, timeEnd)) {
      return this.#chat(line, createdAt, timeEnd + this.#chatMiddle.length);
    }
    if (line.startsWith(GENERATE_RESPONSE, timeEnd)) {
      return this.#generate(line, createdAt, timeEnd + GENERATE_RESPONSE.length);
    }
    return undefined;
  }

  /** Learn the model and role from a line JSON.parse has read, if the shortcut can use them. */
  learn(value: unknown, line: string): void {
    if (typeof value !== 'object' || value === null) return;
    const { model, message } = value as { model?: unknown; message?: { role?: unknown } };
    if (typeof model !== 'string') return;
    if (model !== this.#model) {
      const prefix = `{"model":${JSON.stringify(model)},"created_at":"`;
      if (line.lastIndexOf(prefix, 0) !== 0) return;
      this.#model = model;
      this.#prefix = prefix;
    }
    const role = typeof message === 'object' && message !== null ? message.role : undefined;
    if (typeof role === 'string' && role !== this.#role) {
      this.#role = role;
      this.#chatMiddle = `","message":{"role":${JSON.stringify(role)},"content":"`;
    }
  }

  #chat(line: string, createdAt: string, from: number): object | undefined {
    if (!this.#readText(line, from, CHAT_END)) return undefined;
    const content = this.#text;
    const message =
      this.#thinking === undefined
        ? { role: this.#role, content }
        : { role: this.#role, content, thinking: this.#thinking };
    return { model: this.#model, created_at: createdAt, message, done: false };
  }

  #generate(line: string, createdAt: string, from: number): object | undefined {
    if (!this.#readText(line, from, GENERATE_END)) return undefined;
    const response = this.#text;
    return this.#thinking === undefined
      ? { model: this.#model, created_at: createdAt, response, done: false }
      : { model: this.#model, created_at: createdAt, response, thinking: this.#thinking, done: false };
  }

  /** The text read by #readText, and the thinking after it if any (fields: no array per line). */
  #text = '';
  #thinking: string | undefined;

  /** Read `TEXT` + `end`, or `TEXT","thinking":"THINKING` + `end`, from `from` to the end of the line. */
  #readText(line: string, from: number, end: string): boolean {
    const textEnd = closingQuote(line, from);
    if (textEnd === -1) return false;
    const text = stringValue(line, from, textEnd);
    if (text === undefined) return false;
    this.#text = text;
    this.#thinking = undefined;
    if (line.startsWith(end, textEnd) && textEnd + end.length === line.length) return true;
    if (!line.startsWith(THINKING, textEnd)) return false;
    const thinkingStart = textEnd + THINKING.length;
    const thinkingEnd = closingQuote(line, thinkingStart);
    if (
      thinkingEnd === -1 ||
      !line.startsWith(end, thinkingEnd) ||
      thinkingEnd + end.length !== line.length
    ) {
      return false;
    }
    this.#thinking = stringValue(line, thinkingStart, thinkingEnd);
    return this.#thinking !== undefined;
  }
}
