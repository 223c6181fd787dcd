import { describe, expect, it } from 'vitest';
import { nativeRequest, type ProxiedRequest, readProxyBody } from './proxy-body.js';

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

describe('nativeRequest', () => {
  const typed = (operation: Parameters<typeof nativeRequest>[0], body: ProxiedRequest) =>
    nativeRequest(operation, body)?.operation;

  it('types a request by its operation when the fields the proxy acts on have their types', () => {
    expect(typed('chat', { model: 'm', messages: [], stream: false })).toBe('chat');
    expect(typed('generate', { model: 'm', prompt: 'hi' })).toBe('generate');
    expect(typed('embed', { model: 'm', input: 'hi' })).toBe('embed');
    expect(typed('embed', { model: 'm', input: ['a', 'b'] })).toBe('embed');
    expect(typed('embeddings', { model: 'm', prompt: '' })).toBe('embeddings');
  });

  it('leaves to the host what it would refuse or only load a model for', () => {
    expect(typed('chat', { model: 'm', stream: 'no' })).toBeUndefined();
    expect(typed('generate', { model: 'm', stream: 1 })).toBeUndefined();
    expect(typed('embed', { model: 'm' })).toBeUndefined();
    expect(typed('embed', { model: 'm', input: ['a', 2] })).toBeUndefined();
    expect(typed('embeddings', { model: 'm' })).toBeUndefined();
  });
});
