/**
 * The simulator's tokenizer: a real byte-pair encoding (cl100k_base, through `gpt-tokenizer`)
 * stands in for every model's own, plus the model template's special tokens (`<|eot_id|>`,
 * `<|im_start|>`, ...), each one token with the model's real id.
 *
 * cl100k_base counts 0.9987x Llama 3's tokens on English text and code (Llama 3 took 100K of
 * its 128K vocabulary from it), so prompt lengths, prefix-cache hits and streamed tokens are
 * those of a real tokenizer, not an estimate. Its tables load on first use, once per process
 * (`startOllamaSim` does it before it listens): importing the package costs nothing.
 */
import { createRequire } from 'node:module';
import { escapeRegExp } from './words.js';

type GptEncoding = typeof import('gpt-tokenizer/encoding/cl100k_base')['default'];

let encoding: GptEncoding | undefined;

/** cl100k_base, loaded (synchronously, about 70-100 ms and 40 MB) the first time it is needed. */
function bpe(): GptEncoding {
  encoding ??= (
    createRequire(import.meta.url)('gpt-tokenizer/encoding/cl100k_base') as { default: GptEncoding }
  ).default;
  return encoding;
}

/** Loads the tokenizer's tables now rather than on the first request. */
export function loadTokenizer(): void {
  bpe();
}

/** Special-token text in a prompt is BPE-encoded as text unless the template names it. */
const NO_SPECIALS = { allowedSpecial: new Set<string>(), disallowedSpecial: new Set<string>() };
/** `!`: decoded after a run of tokens so the shared UTF-8 decoder never keeps a partial character. */
const FLUSH_TOKEN = 0;

/** A model's tokenizer: cl100k_base for text, the template's special tokens with their real ids. */
export class SimTokenizer {
  readonly #idOf: ReadonlyMap<string, number>;
  readonly #textOf: ReadonlyMap<number, string>;
  readonly #specialPattern: RegExp | undefined;

  /**
   * @param specials the template's special tokens and their ids in the model's vocabulary
   * @param bos the id the tokenizer puts before every prompt (Llama 3's `<|begin_of_text|>`)
   */
  constructor(
    specials: Readonly<Record<string, number>>,
    readonly bos?: number,
  ) {
    this.#idOf = new Map(Object.entries(specials));
    this.#textOf = new Map(Object.entries(specials).map(([text, id]) => [id, text]));
    const names = Object.keys(specials).sort((a, b) => b.length - a.length);
    this.#specialPattern =
      names.length === 0 ? undefined : new RegExp(names.map(escapeRegExp).join('|'), 'g');
  }

  /** The id of a special token of this model's template. */
  special(text: string): number {
    const id = this.#idOf.get(text);
    if (id === undefined) throw new Error(`no special token ${text}`);
    return id;
  }

  /** Token ids of `text`; the template's special tokens are one token each, wherever they appear. */
  encode(text: string): number[] {
    const pattern = this.#specialPattern;
    if (pattern === undefined) return bpe().encode(text, NO_SPECIALS);
    const ids: number[] = [];
    let start = 0;
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      if (match.index > start) ids.push(...bpe().encode(text.slice(start, match.index), NO_SPECIALS));
      ids.push(this.#idOf.get(match[0]) ?? 0);
      start = match.index + match[0].length;
    }
    if (start < text.length) ids.push(...bpe().encode(text.slice(start), NO_SPECIALS));
    return ids;
  }

  /** A prompt's ids: BOS (when the model has one) and `text`. */
  encodePrompt(text: string): number[] {
    const ids = this.encode(text);
    if (this.bos !== undefined) ids.unshift(this.bos);
    return ids;
  }

  /**
   * The text each token adds, one entry per id: joined, they give the decoded text. A token that
   * ends inside a multi-byte character adds `''`, and the token that completes the character
   * carries it (as Ollama holds back incomplete UTF-8 while streaming). Unknown ids add `''`.
   */
  pieces(ids: readonly number[]): string[] {
    const out = new Array<string>(ids.length).fill('');
    let run: number[] = [];
    let runStart = 0;
    const flush = () => {
      if (run.length > 0) decodeRun(run, out, runStart);
      run = [];
    };
    ids.forEach((id, index) => {
      const special = this.#textOf.get(id);
      if (special !== undefined) {
        flush();
        out[index] = special;
        return;
      }
      if (run.length === 0) runStart = index;
      run.push(id);
    });
    flush();
    return out;
  }

  /** The text of `ids` (special tokens as their text). */
  decode(ids: readonly number[]): string {
    return this.pieces(ids).join('');
  }
}

/** Decodes one run of BPE ids into `out[offset...]`, each text at the token that completed it. */
function decodeRun(run: readonly number[], out: string[], offset: number): void {
  let pulled = 0;
  function* source(): Generator<number> {
    for (const id of run) {
      pulled++;
      yield id;
    }
    pulled++;
    yield FLUSH_TOKEN;
  }
  for (const text of bpe().decodeGenerator(source())) {
    if (pulled <= run.length) {
      out[offset + pulled - 1] += text;
      continue;
    }
    // The flush token's own text, after whatever an incomplete last character became.
    const rest = text.slice(0, -1);
    if (rest !== '') out[offset + run.length - 1] += rest;
  }
}
