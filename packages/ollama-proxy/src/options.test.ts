import { describe, expect, it } from 'vitest';
import { OllamaProxy } from './ollama-proxy.js';

describe('OllamaProxy options', () => {
  it('refuses an unknown option or a bad value with a TypeError naming it', () => {
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ colour: 'red' }, 'Unknown option `colour`'],
      [{ maxInFlight: 0 }, 'Expected `maxInFlight` to be an integer from 1 to 1000000, got 0'],
      [{ maxParsedBytes: 1.5 }, 'Expected `maxParsedBytes` to be an integer'],
      [{ cors: 'yes' }, 'Expected `cors` to be a boolean, got "yes"'],
      [{ origins: ['app.example'] }, 'Expected `origins[0]` to be an origin with its scheme'],
      [{ origins: ['https://*.a.*'] }, 'Expected `origins[0]` to hold at most one *'],
      [{ origins: 'https://a' }, 'Expected `origins` to be an array of origins'],
      [{ hosts: [] }, 'Expected `hosts` to be a non-empty array of URLs'],
      [{ hosts: ['ftp://x'] }, 'hosts[0]'],
      [{ observer: { done: 1 } }, 'Expected `observer.done` to be a function, got 1'],
      [{ logger: {} }, 'Expected `logger` to be a logger with warn() and error()'],
      [{ llmCache: {} }, 'Expected `llmCache` to be an LLMCache'],
      [{ client: {} }, 'Expected `client` to be an OllamaClient'],
    ];
    for (const [options, message] of bad) {
      expect(() => new OllamaProxy(options as never), JSON.stringify(options)).toThrow(TypeError);
      expect(() => new OllamaProxy(options as never), JSON.stringify(options)).toThrow(message);
    }
  });
});
