import { describe, expect, it } from 'vitest';
import { parseOllamaHost } from './ollama-host.js';

describe('parseOllamaHost (as Ollama envconfig.Host reads OLLAMA_HOST)', () => {
  it.each([
    [undefined, 'http://127.0.0.1:11434'],
    ['', 'http://127.0.0.1:11434'],
    ['  "127.0.0.1:11435"  ', 'http://127.0.0.1:11435'],
    ["'0.0.0.0'", 'http://0.0.0.0:11434'],
    ['1.2.3.4', 'http://1.2.3.4:11434'],
    [':1234', 'http://127.0.0.1:1234'],
    ['example.com', 'http://example.com:11434'],
    ['example.com:56789', 'http://example.com:56789'],
    ['http://example.com', 'http://example.com:80'],
    ['https://example.com', 'https://example.com:443'],
    ['HTTPS://example.com:8443', 'https://example.com:8443'],
    ['http://example.com:11434/', 'http://example.com:11434'],
    ['https://example.com/ollama/', 'https://example.com:443/ollama'],
    ['example.com:1234/path/to', 'http://example.com:1234/path/to'],
    ['[::1]:11434', 'http://[::1]:11434'],
    ['[::1]', 'http://[::1]:11434'],
    ['::1', 'http://[::1]:11434'],
    ['example.com:99999', 'http://example.com:11434'],
    ['example.com:abc', 'http://example.com:11434'],
    ['example.com:', 'http://example.com:11434'],
    ['ollama.com', 'https://ollama.com:443'],
  ])('%j -> %s', (input, expected) => {
    expect(parseOllamaHost(input)).toBe(expected);
  });

  it('throws a TypeError naming the option for a scheme other than http or https', () => {
    expect(() => parseOllamaHost('ftp://example.com', 'host')).toThrow(
      new TypeError('Expected `host` to use http or https, got "ftp://example.com"'),
    );
  });
});
