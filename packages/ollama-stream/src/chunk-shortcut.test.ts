import { describe, expect, it } from 'vitest';
import { seededRandom } from '../test/helpers.js';
import { ChunkShortcut } from './chunk-shortcut.js';

const chat = (content: string, extra = '') =>
  `{"model":"llama3.2:3b","created_at":"2025-06-01T12:00:00.5Z","message":{"role":"assistant","content":${content}${extra}},"done":false}`;
const generate = (response: string, extra = '') =>
  `{"model":"llama3.2:3b","created_at":"2025-06-01T12:00:00.5Z","response":${response}${extra},"done":false}`;

function taught(line = chat('"x"')): ChunkShortcut {
  const shortcut = new ChunkShortcut();
  shortcut.learn(JSON.parse(line), line);
  return shortcut;
}

/** The shortcut either declines (undefined) or gives exactly JSON.parse's value, key order included. */
function expectSameAsJsonParse(shortcut: ChunkShortcut, line: string): boolean {
  const quick = shortcut.parse(line);
  let parsed: unknown;
  let valid = true;
  try {
    parsed = JSON.parse(line);
  } catch {
    valid = false;
  }
  if (quick === undefined) return false;
  expect(valid, line).toBe(true);
  expect(JSON.stringify(quick), line).toBe(JSON.stringify(parsed));
  expect(quick, line).toEqual(parsed);
  return true;
}

/** Pieces a JSON string body may hold, valid or not: escapes, quotes, backslashes, control characters. */
const PIECES = [
  'a',
  ' the',
  '東京',
  '🌤️',
  '\\"',
  '\\\\',
  '\\n',
  '\\u003c',
  '\\ud83d\\ude00',
  '\\ud800',
  '"',
  '\\',
  '\\x',
  '\\u12',
  '\t',
  '\u0001',
  '\u007f',
  '\u2028',
  '}',
  '","done":true',
  '"},"done":false}',
];

describe('ChunkShortcut', () => {
  it('reads a chat chunk exactly as JSON.parse does', () => {
    const shortcut = taught();
    const line = chat('" Hello \\"world\\" \\u003cb\\u003e 東京 🌤️"');
    expect(shortcut.parse(line)).toEqual(JSON.parse(line));
    expect(expectSameAsJsonParse(shortcut, line)).toBe(true);
  });

  it('reads chat chunks with thinking and generate chunks with and without thinking', () => {
    const shortcut = taught();
    for (const line of [
      chat('""', ',"thinking":"hmm \\n ok"'),
      generate('"The"'),
      generate('""', ',"thinking":"考え"'),
    ]) {
      expect(expectSameAsJsonParse(shortcut, line), line).toBe(true);
    }
  });

  it('declines before it has learnt a model, and for a different model or role until it learns them', () => {
    const fresh = new ChunkShortcut();
    expect(fresh.parse(chat('"x"'))).toBeUndefined();
    const shortcut = taught();
    const other = chat('"x"').replace('llama3.2:3b', 'qwen3:8b');
    expect(shortcut.parse(other)).toBeUndefined();
    shortcut.learn(JSON.parse(other), other);
    expect(expectSameAsJsonParse(shortcut, other)).toBe(true);
    const tool = chat('"x"').replace('"assistant"', '"tool"');
    expect(shortcut.parse(tool)).toBeUndefined();
  });

  it('declines every line that is not exactly the layout: final chunks, tool calls, spaces, CRLF, extra fields', () => {
    const shortcut = taught();
    const declined = [
      chat('""').replace('"done":false', '"done":true,"done_reason":"stop"'),
      chat('""', ',"tool_calls":[{"function":{"name":"f","arguments":{}}}]'),
      chat('"x"').replace('{"model":', '{ "model":'),
      `${chat('"x"')}\r`,
      `${chat('"x"')} `,
      chat('"x"').replace(',"done":false', ',"done":false,"extra":1'),
      chat('"x"').replace('"done":false', '"done":0'),
      chat('"x"', ',"images":null'),
      chat('"x"').replace('"created_at":"2025-06-01T12:00:00.5Z"', '"created_at":"2025\\u002d06"'),
      generate('"x"', ',"context":[1]'),
      '{"model":"llama3.2:3b"}',
      '',
    ];
    for (const line of declined) expect(shortcut.parse(line), line).toBeUndefined();
  });

  it('declines strings JSON.parse would reject: raw control characters, bad escapes, an unclosed string', () => {
    const shortcut = taught();
    for (const content of ['"a\tb"', '"\u0000"', '"\\x41"', '"\\u12"', '"abc', '"\\"']) {
      expect(shortcut.parse(chat(content)), content).toBeUndefined();
    }
  });

  it('matches JSON.parse on 20,000 random lines (differential fuzz)', () => {
    const next = seededRandom(424242);
    const shortcut = taught();
    let taken = 0;
    for (let i = 0; i < 20_000; i++) {
      let text = '';
      const count = Math.floor(next() * 6);
      for (let j = 0; j < count; j++) text += PIECES[Math.floor(next() * PIECES.length)];
      const thinking = next() < 0.2 ? `,"thinking":"${PIECES[Math.floor(next() * PIECES.length)]}"` : '';
      const line = next() < 0.5 ? chat(`"${text}"`, thinking) : generate(`"${text}"`, thinking);
      if (expectSameAsJsonParse(shortcut, line)) taken++;
    }
    // The fuzz must exercise both paths: many lines taken by the shortcut, many declined.
    expect(taken).toBeGreaterThan(3000);
    expect(taken).toBeLessThan(19_000);
  });
});
