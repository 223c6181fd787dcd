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
      'Expected `body` of the request to be a string, a Uint8Array or an async iterable of Uint8Array, got 1',
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

  it('streams an async-iterable body once, with its length when given', async () => {
    async function* chunks() {
      yield new Uint8Array([1, 2]);
      yield new Uint8Array([3]);
    }
    const outgoing = checkRawRequest(
      {
        method: 'PUT',
        path: '/api/blobs/x',
        body: chunks(),
        bodyLength: 3,
        headers: { 'content-type': 'application/octet-stream' },
      },
      {},
    );
    expect(outgoing.headers).toEqual({ 'content-type': 'application/octet-stream', 'content-length': '3' });
    const body = outgoing.body as unknown as AsyncIterable<Uint8Array>;
    const sent: number[] = [];
    for await (const chunk of body) sent.push(...chunk);
    expect(sent).toEqual([1, 2, 3]);
    // The pool asks again only to retry an attempt: part of the body may have gone, so it fails.
    expect(() => body[Symbol.asyncIterator]()).toThrow('A streamed request body can be sent once');
    expect(checkRawRequest({ method: 'OPTIONS', path: '/' }, {}).method).toBe('OPTIONS');
  });

  it('refuses a bodyLength without an async-iterable body, or a bad one', () => {
    async function* empty() {}
    expect(() => checkRawRequest({ method: 'POST', path: '/', body: 'x', bodyLength: 1 }, {})).toThrow(
      'Expected `bodyLength` of the request to be a length in bytes beside an async-iterable body, got 1',
    );
    expect(() => checkRawRequest({ method: 'POST', path: '/', body: empty(), bodyLength: -1 }, {})).toThrow(
      'got -1',
    );
  });
});
