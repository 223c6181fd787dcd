import { describe, expect, it } from 'vitest';
import { jsonLine, printable } from './terminal-text.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const ANY_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('printable', () => {
  it('drops every C0 control but tab and newline, carriage return, DEL and every C1 control', () => {
    const every = Array.from({ length: 0xa0 }, (_, code) => String.fromCharCode(code)).join('');
    const kept = printable(every);
    expect(kept).not.toMatch(ANY_CONTROL);
    expect(kept).toBe(`\t\n${every.slice(0x20, 0x7f)}`);
  });

  it('leaves the rest of an escape sequence as plain text, and other text as it is', () => {
    expect(printable('a\u001b]52;c;aGk=\u0007b')).toBe('a]52;c;aGk=b');
    expect(printable('\u001b[2Jclear\r\n')).toBe('[2Jclear\n');
    expect(printable('\u009b31mred')).toBe('31mred');
    expect(printable('Grüße, 世界 🚀\tok')).toBe('Grüße, 世界 🚀\tok');
  });
});

describe('jsonLine', () => {
  it('escapes C0, DEL and C1 alike, and parses back to the same value', () => {
    const value = { text: 'a\u001b[2J\u007f\u0085\u009b31m\r\nb', n: 1 };
    const line = jsonLine(value);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toMatch(ANY_CONTROL);
    expect(line).toContain('\\u007f\\u0085\\u009b');
    expect(JSON.parse(line)).toEqual(value);
  });
});
