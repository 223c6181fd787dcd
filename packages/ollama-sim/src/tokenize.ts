/**
 * The simulator's token approximation: deterministic, fast, close enough to a BPE tokenizer
 * on English text (about 1.3 tokens per word).
 *
 * - A special marker such as `<|user|>` is one token.
 * - A run of letters, digits and combining marks is split every 4 characters:
 *   `tokenization` is `toke` `niza` `tion`.
 * - Any other character that is not whitespace (punctuation, a symbol, an emoji) is one token.
 * - Whitespace belongs to the token that follows it; whitespace at the very end is one token.
 *
 * So the pieces concatenate back to the text, and a streamed answer is one piece per chunk.
 */
const TOKEN_PATTERN = /\s*(?:<\|[a-z_]+\|>|[\p{L}\p{N}\p{M}]{1,4}|[^\s\p{L}\p{N}\p{M}])|\s+$/gu;

/** Split `text` into token pieces; `tokenize(text).join('') === text`. */
export function tokenize(text: string): string[] {
  return text.match(TOKEN_PATTERN) ?? [];
}

/** The number of tokens in `text`, by the rule of {@link tokenize}. */
export function countTokens(text: string): number {
  let count = 0;
  TOKEN_PATTERN.lastIndex = 0;
  while (TOKEN_PATTERN.exec(text) !== null) count++;
  TOKEN_PATTERN.lastIndex = 0;
  return count;
}
