import { afterEach, describe, expect, it, vi } from 'vitest';
import { type OllamaClientOptions, resolveOptions } from './options.js';

describe('resolveOptions', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('rejects an unknown option, naming it and the known ones', () => {
    expect(() => resolveOptions({ retries: 0 } as OllamaClientOptions)).toThrow(
      /Unknown option `retries`; known: host/,
    );
    expect(() => resolveOptions({ retry: { retry: 1 } } as OllamaClientOptions)).toThrow(
      /Unknown option `retry.retry`; known: retries, minDelayMs, maxDelayMs/,
    );
  });

  it('fills in the defaults', () => {
    vi.stubEnv('OLLAMA_HOST', '');
    expect(resolveOptions()).toEqual({
      hosts: ['http://127.0.0.1:11434'],
      connections: 64,
      keepAliveTimeout: 60_000,
      headers: {},
      timeouts: { headersMs: 300_000, idleMs: 120_000, totalMs: 0 },
      retries: 2,
      minDelayMs: 100,
      maxDelayMs: 2000,
      maxLineBytes: 16 * 1024 * 1024,
      maxBodyBytes: 256 * 1024 * 1024,
    });
  });

  it('reads OLLAMA_HOST as Ollama does when no host is given', () => {
    vi.stubEnv('OLLAMA_HOST', '10.0.0.5:8080');
    expect(resolveOptions().hosts).toEqual(['http://10.0.0.5:8080']);
    vi.stubEnv('OLLAMA_HOST', ':9999');
    expect(resolveOptions().hosts).toEqual(['http://127.0.0.1:9999']);
  });

  it('prefers the host option over OLLAMA_HOST and reads it the same way', () => {
    vi.stubEnv('OLLAMA_HOST', '10.0.0.5:8080');
    expect(resolveOptions({ host: 'gpu-box' }).hosts).toEqual(['http://gpu-box:11434']);
  });

  it('reads every entry of hosts', () => {
    expect(resolveOptions({ hosts: ['a:1', 'https://b/x'] }).hosts).toEqual([
      'http://a:1',
      'https://b:443/x',
    ]);
  });

  it('merges timeouts over the defaults (0 turns one off) and retry settings', () => {
    const resolved = resolveOptions({
      timeouts: { headersMs: 1000, idleMs: 0, totalMs: 5000 },
      retry: { retries: 0, minDelayMs: 5, maxDelayMs: 10 },
    });
    expect(resolved.timeouts).toEqual({ headersMs: 1000, idleMs: 0, totalMs: 5000 });
    expect(resolveOptions({ timeouts: { totalMs: 9 } }).timeouts).toEqual({
      headersMs: 300_000,
      idleMs: 120_000,
      totalMs: 9,
    });
    expect([resolved.retries, resolved.minDelayMs, resolved.maxDelayMs]).toEqual([0, 5, 10]);
  });

  it.each<[OllamaClientOptions, string]>([
    [{ connections: 0 }, 'Expected `connections` to be a positive integer, got 0'],
    [{ connections: 2.5 }, 'Expected `connections` to be a positive integer, got 2.5'],
    [{ keepAliveTimeout: -1 }, 'Expected `keepAliveTimeout` to be a positive integer, got -1'],
    [{ timeouts: { idleMs: -1 } }, 'Expected `timeouts.idleMs` to be a non-negative integer, got -1'],
    [
      { timeouts: { headersMs: '5s' as never } },
      'Expected `timeouts.headersMs` to be a non-negative integer, got "5s"',
    ],
    [
      { timeouts: { firstTokenMs: 1000 } as never },
      'Unknown option `timeouts.firstTokenMs`; it is now `timeouts.headersMs`',
    ],
    [
      { timeouts: { idle: 1000 } as never },
      'Unknown option `timeouts.idle`; known: headersMs, idleMs, totalMs',
    ],
    [
      { headers: { 'x-key': 'a\r\nb' } },
      'Expected `headers.x-key` to be an HTTP header value (no line break or control character), got "a\\r\\nb"',
    ],
    [
      { headers: { 'bad name': 'a' } },
      'Expected the names in `headers` to be HTTP header names, got "bad name"',
    ],
    [{ timeouts: 5 as never }, 'Expected `timeouts` to be an object, got 5'],
    [{ retry: { retries: -1 } }, 'Expected `retry.retries` to be a non-negative integer, got -1'],
    [
      { retry: { minDelayMs: 500, maxDelayMs: 100 } },
      'Expected `retry.maxDelayMs` (100) to be at least `retry.minDelayMs` (500)',
    ],
    [{ maxLineBytes: 0 }, 'Expected `maxLineBytes` to be a positive integer, got 0'],
    [{ maxBodyBytes: Number.NaN }, 'Expected `maxBodyBytes` to be a positive integer, got NaN'],
    [{ headers: { 'x-key': 1 as never } }, 'Expected `headers.x-key` to be a string, got 1'],
    [{ headers: [] as never }, 'Expected `headers` to be an object, got an array'],
    [{ host: 42 as never }, 'Expected `host` to be a string, got 42'],
    [{ host: 'ftp://x' }, 'Expected `host` to use http or https, got "ftp://x"'],
    [{ host: 'a', hosts: ['b'] }, 'Pass either `host` or `hosts`, not both'],
    [{ hosts: [] }, 'Expected `hosts` to be a non-empty array of strings, got an array'],
    [{ hosts: ['a', 7 as never] }, 'Expected `hosts[1]` to be a string, got 7'],
    [{ hosts: ['a:1', 'http://a:1/'] }, 'Expected `hosts` to name distinct servers, got http://a:1 twice'],
  ])('throws a TypeError naming the option: %j', (options, message) => {
    expect(() => resolveOptions(options)).toThrow(new TypeError(message));
  });
});
