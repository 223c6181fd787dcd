import { describe, expect, it } from 'vitest';
import { readProxyBody } from './proxy-body.js';

describe('readProxyBody', () => {
  it('tells a missing body, a keyable request and anything else apart', () => {
    expect(readProxyBody(undefined)).toEqual({ kind: 'missing' });
    expect(readProxyBody(Buffer.alloc(0))).toEqual({ kind: 'missing' });
    const request = readProxyBody(Buffer.from('{"model":"m","prompt":"hi"}'));
    expect(request).toMatchObject({ kind: 'request', request: { model: 'm', prompt: 'hi' } });
    for (const text of ['{"model":', '[1]', '"text"', '{"prompt":"x"}', '{"model":""}', '{"model":3}']) {
      expect(readProxyBody(Buffer.from(text)).kind, text).toBe('raw');
    }
  });
});
