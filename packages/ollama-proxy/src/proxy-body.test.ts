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

  it('relays a body past the JSON limits unparsed', () => {
    const messages = (count: number) => Array(count).fill('{"role":"user","content":"hi"}').join(',');
    const within = Buffer.from(`{"model":"m","messages":[${messages(1_900)}]}`);
    expect(readProxyBody(within).kind).toBe('request');
    const past = Buffer.from(`{"model":"m","messages":[${messages(2_000)}]}`);
    expect(readProxyBody(past)).toEqual({ kind: 'raw', bytes: past });
    const deep = Buffer.from(`{"model":"m","options":${'{"a":'.repeat(65)}1${'}'.repeat(65)}}`);
    expect(readProxyBody(deep).kind).toBe('raw');
  });
});
