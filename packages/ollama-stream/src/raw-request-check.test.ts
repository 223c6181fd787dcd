import { describe, expect, it } from 'vitest';
import { checkRawRequest, checkRequestPath } from './raw-request-check.js';

describe('checkRequestPath', () => {
  it('accepts paths on the server, with a query', () => {
    for (const path of [
      '/',
      '/api/tags',
      '/api/embeddings',
      '/v1/chat/completions',
      '/api/tags?x=1&y=%2F',
      '/api/a%20b',
    ]) {
      expect(checkRequestPath(path)).toBe(path);
    }
  });

  it.each([
    ['http://evil.example/api/tags', 'starting with "/"'],
    ['api/tags', 'starting with "/"'],
    ['', 'starting with "/"'],
    ['//evil.example/api/tags', 'not starting with "//"'],
    ['/api/../etc/passwd', 'no "." or ".." segment'],
    ['/api/..', 'no "." or ".." segment'],
    ['/api/./tags', 'no "." or ".." segment'],
    ['/api/%2e%2E/x', 'no "." or ".." segment'],
    ['/api/a%2fb', 'no encoded "/"'],
    ['/api/a%5c..', 'no encoded "/"'],
    ['/api/%zz', 'valid percent-encoding'],
    ['/api/tags#x', 'without "\\" or "#"'],
    ['/api\\..\\x', 'without "\\" or "#"'],
    ['/api/tags x', 'visible ASCII only'],
    ['/api/tags\r\nhost: x', 'visible ASCII only'],
    ['/api/é', 'visible ASCII only'],
    [`/${'a'.repeat(8192)}`, 'at most 8192 characters'],
  ])('refuses %j', (path, why) => {
    expect(() => checkRequestPath(path)).toThrow(TypeError);
    expect(() => checkRequestPath(path)).toThrow(why);
  });

  it('refuses a non-string, naming it', () => {
    expect(() => checkRequestPath(undefined)).toThrow('got undefined');
  });
});

describe('checkRawRequest', () => {
  const base = { 'user-agent': 'lunar', Authorization: 'Bearer a' };

  it('merges headers (lower-cased, the request last) and defaults content-type for a body', () => {
    const outgoing = checkRawRequest(
      { method: 'POST', path: '/api/x', body: '{}', headers: { 'X-Trace': '1', authorization: 'Bearer b' } },
      base,
    );
    expect(outgoing).toEqual({
      method: 'POST',
      path: '/api/x',
      body: '{}',
      headers: {
        'user-agent': 'lunar',
        authorization: 'Bearer b',
        'content-type': 'application/json',
        'x-trace': '1',
      },
    });
    const plain = checkRawRequest(
      { method: 'POST', path: '/x', body: 'a', headers: { 'content-type': 'text/plain' } },
      {},
    );
    expect(plain.headers['content-type']).toBe('text/plain');
    expect(checkRawRequest({ method: 'GET', path: '/' }, {}).headers).toEqual({});
  });

  it('refuses a bad method, body or header, naming it', () => {
    expect(() => checkRawRequest(null, {})).toThrow('Expected the request to be an object, got null');
    expect(() => checkRawRequest({ method: 'get', path: '/' }, {})).toThrow('got "get"');
    expect(() => checkRawRequest({ method: 'POST', path: '/', body: 1 }, {})).toThrow(
      'Expected `body` of the request to be a string or a Uint8Array, got 1',
    );
    expect(() => checkRawRequest({ method: 'HEAD', path: '/', body: '' }, {})).toThrow(
      'A HEAD request cannot have',
    );
    expect(() => checkRawRequest({ method: 'GET', path: '/', headers: { a: 1 } }, {})).toThrow(
      'Expected `headers.a` to be a string, got 1',
    );
    for (const name of ['Host', 'content-length', 'Transfer-Encoding', 'connection']) {
      expect(() => checkRawRequest({ method: 'GET', path: '/', headers: { [name]: 'x' } }, {})).toThrow(
        `\`headers.${name}\` is set by the connection pool`,
      );
    }
  });
});
