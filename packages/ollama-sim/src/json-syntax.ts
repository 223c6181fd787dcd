/**
 * Finds the end of the first JSON value in a text, failing with the messages Go's
 * `json.Decoder` gives (`invalid character 'x' looking for beginning of value`,
 * `unexpected EOF`), so the simulator's 400s read like Ollama's. Like `Decoder.Decode`, text
 * after the first value is ignored.
 */
export class JsonSyntaxError extends Error {
  override name = 'JsonSyntaxError';
}

/** Thrown for empty or all-whitespace input: Go's `io.EOF`. */
export class JsonEmptyError extends Error {
  override name = 'JsonEmptyError';
}

const MAX_DEPTH = 10_000;

function quoteChar(character: string): string {
  if (character === "'") return "'\\''";
  if (character === '"') return "'\"'";
  const json = JSON.stringify(character);
  return `'${json.slice(1, -1)}'`;
}

class Scanner {
  position = 0;
  constructor(readonly text: string) {}

  fail(context: string): never {
    if (this.position >= this.text.length) throw new JsonSyntaxError('unexpected EOF');
    const character = String.fromCodePoint(this.text.codePointAt(this.position) ?? 0);
    throw new JsonSyntaxError(`invalid character ${quoteChar(character)} ${context}`);
  }

  skipSpace(): void {
    while (this.position < this.text.length) {
      const code = this.text.charCodeAt(this.position);
      if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) return;
      this.position++;
    }
  }

  value(depth: number): void {
    if (depth > MAX_DEPTH) throw new JsonSyntaxError('exceeded max depth');
    this.skipSpace();
    const character = this.text[this.position];
    if (character === '{') this.object(depth);
    else if (character === '[') this.array(depth);
    else if (character === '"') this.string();
    else if (character === '-' || (character !== undefined && character >= '0' && character <= '9'))
      this.number();
    else if (character === 't') this.literal('true');
    else if (character === 'f') this.literal('false');
    else if (character === 'n') this.literal('null');
    else this.fail('looking for beginning of value');
  }

  object(depth: number): void {
    this.position++;
    this.skipSpace();
    if (this.text[this.position] === '}') {
      this.position++;
      return;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.position] !== '"') this.fail('looking for beginning of object key string');
      this.string();
      this.skipSpace();
      if (this.text[this.position] !== ':') this.fail('after object key');
      this.position++;
      this.value(depth + 1);
      this.skipSpace();
      const next = this.text[this.position];
      this.position++;
      if (next === '}') return;
      if (next !== ',') {
        this.position--;
        this.fail('after object key:value pair');
      }
    }
  }

  array(depth: number): void {
    this.position++;
    this.skipSpace();
    if (this.text[this.position] === ']') {
      this.position++;
      return;
    }
    for (;;) {
      this.value(depth + 1);
      this.skipSpace();
      const next = this.text[this.position];
      this.position++;
      if (next === ']') return;
      if (next !== ',') {
        this.position--;
        this.fail('after array element');
      }
    }
  }

  string(): void {
    this.position++;
    for (;;) {
      const code = this.text.charCodeAt(this.position);
      if (Number.isNaN(code)) this.fail('in string literal');
      if (code === 0x22) {
        this.position++;
        return;
      }
      if (code < 0x20) this.fail('in string literal');
      if (code === 0x5c) {
        this.position++;
        const escaped = this.text[this.position];
        if (escaped === 'u') {
          for (let index = 0; index < 4; index++) {
            this.position++;
            if (!/[0-9a-fA-F]/.test(this.text[this.position] ?? '')) {
              this.fail('in \\u hexadecimal character escape');
            }
          }
        } else if (escaped === undefined || !'"\\/bfnrt'.includes(escaped)) {
          this.fail('in string escape code');
        }
      }
      this.position++;
    }
  }

  digits(context: string): void {
    const start = this.position;
    while (/[0-9]/.test(this.text[this.position] ?? '')) this.position++;
    if (this.position === start) this.fail(context);
  }

  number(): void {
    if (this.text[this.position] === '-') this.position++;
    if (this.text[this.position] === '0') this.position++;
    else this.digits('in numeric literal');
    if (this.text[this.position] === '.') {
      this.position++;
      this.digits('after decimal point in numeric literal');
    }
    const exponent = this.text[this.position];
    if (exponent === 'e' || exponent === 'E') {
      this.position++;
      const sign = this.text[this.position];
      if (sign === '+' || sign === '-') this.position++;
      this.digits('in exponent of numeric literal');
    }
  }

  literal(word: string): void {
    for (let index = 0; index < word.length; index++) {
      if (this.text[this.position] !== word[index]) {
        this.fail(`in literal ${word} (expecting ${quoteChar(word[index] ?? '')})`);
      }
      this.position++;
    }
  }
}

/**
 * Parses the first JSON value of `text` like Go's `json.Decoder.Decode`. Throws
 * `JsonEmptyError` when there is no value at all and `JsonSyntaxError` with Go's text otherwise.
 */
export function parseFirstJsonValue(text: string): unknown {
  const scanner = new Scanner(text);
  scanner.skipSpace();
  if (scanner.position >= text.length) throw new JsonEmptyError('EOF');
  const start = scanner.position;
  scanner.value(0);
  return JSON.parse(text.slice(start, scanner.position));
}
