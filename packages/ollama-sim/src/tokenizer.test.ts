import { describe, expect, it } from 'vitest';
import { SimTokenizer } from './tokenizer.js';

const LLAMA_SPECIALS = {
  '<|begin_of_text|>': 128000,
  '<|start_header_id|>': 128006,
  '<|end_header_id|>': 128007,
  '<|eot_id|>': 128009,
};

describe('SimTokenizer', () => {
  it('encodes the template special tokens as one token each, with their ids', () => {
    const tokenizer = new SimTokenizer(LLAMA_SPECIALS, 128000);
    const ids = tokenizer.encodePrompt('<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>');
    expect(ids[0]).toBe(128000);
    expect(ids[1]).toBe(128006);
    expect(ids).toContain(128007);
    expect(ids.at(-1)).toBe(128009);
  });

  it('gives one piece per token, joined back to the text, multi-byte characters at the token that completes them', () => {
    const tokenizer = new SimTokenizer({});
    const text = 'Grüße, 世界 🚀 <|endoftext|> done';
    const ids = tokenizer.encode(text);
    const pieces = tokenizer.pieces(ids);
    expect(pieces).toHaveLength(ids.length);
    expect(pieces.join('')).toBe(text);
    expect(pieces).toContain('');
    expect(pieces.every((piece) => !piece.includes('\ufffd'))).toBe(true);
  });

  it('decodes an id sequence that ends inside a character without spoiling the next decode', () => {
    const tokenizer = new SimTokenizer({});
    const ids = tokenizer.encode('🚀');
    expect(ids.length).toBeGreaterThan(1);
    tokenizer.decode(ids.slice(0, 1));
    expect(tokenizer.decode(tokenizer.encode('plain'))).toBe('plain');
  });
});
