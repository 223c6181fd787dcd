import { startOllamaSim } from '@lunar/ollama-sim';
import { describe, expect, it } from 'vitest';
import { createServer, isLunarServerError, LunarServerError, startServer } from '../src/index.js';
import { postJson } from './helpers.js';

const TOKEN = 'a-very-long-test-token-0123456789';

describe('safe by default', () => {
  it('refuses to listen on a non-loopback address without a token', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'example.com']) {
      expect(() => createServer({ host, ollamaHosts: ['http://127.0.0.1:1'] })).toThrow(
        expect.objectContaining({ name: 'LunarServerError', code: 'SERVER_TOKEN_REQUIRED' }),
      );
    }
    expect(() => createServer({ host: '0.0.0.0', token: 'short' })).toThrow(TypeError);
    let refused: unknown;
    try {
      createServer({ host: '0.0.0.0', ollamaHosts: ['http://127.0.0.1:1'] });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(LunarServerError);
    expect(isLunarServerError(refused, 'SERVER_TOKEN_REQUIRED')).toBe(true);
    expect(isLunarServerError(refused, 'SERVER_STATE')).toBe(false);
    expect(isLunarServerError(new Error('SERVER_TOKEN_REQUIRED'))).toBe(false);
  });

  it('on a non-loopback bind, requires the bearer token on every route but /healthz and /readyz', async () => {
    const sim = await startOllamaSim({ profile: 'fast' });
    const server = await startServer({ ollamaHosts: [sim.url], host: '0.0.0.0', port: 0, token: TOKEN });
    const url = server.url!; // connects through 127.0.0.1
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.app.server.address()).toMatchObject({ address: '0.0.0.0' });
    try {
      for (const [method, path] of [
        ['GET', '/'],
        ['GET', '/api/tags'],
        ['POST', '/api/chat'],
        ['POST', '/v1/turns'],
        ['GET', '/v1/memories'],
        ['GET', '/metrics'],
      ] as const) {
        const response = await fetch(`${url}${path}`, { method });
        expect(response.status, `${method} ${path}`).toBe(401);
        expect(response.headers.get('www-authenticate')).toBe('Bearer realm="lunar"');
        expect(await response.json()).toEqual({
          error: expect.stringContaining('unauthorized'),
          code: 'SERVER_UNAUTHORIZED',
        });
      }
      const wrong = await fetch(`${url}/api/tags`, { headers: { authorization: `Bearer ${TOKEN}x` } });
      expect(wrong.status).toBe(401);
      const right = await fetch(`${url}/api/tags`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(right.status).toBe(200);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      // A load balancer's check needs no token; the details (host addresses) need it.
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ok', replica: server.options.replicaId });
      const detailed = await fetch(`${url}/readyz`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(await detailed.json()).toMatchObject({ status: 'ok', ollama: [{ host: sim.url, state: 'up' }] });
      const metrics = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(await metrics.text()).toContain(
        'lunar_http_requests_total{method="GET",route="/api/tags",status="401"} 2',
      );
    } finally {
      await server.close();
      await sim.close();
    }
  });

  it('answers an unexpected failure with a generic 500, never the stack', async () => {
    const sim = await startOllamaSim({ profile: 'fast' });
    const server = createServer({ ollamaHosts: [sim.url], port: 0 });
    server.app.get('/v1/boom', () => {
      throw new Error('secret detail at /home/user/file.ts:12');
    });
    await server.listen();
    try {
      const response = await fetch(`${server.url}/v1/boom`);
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({
        error: 'internal server error: the server log has the details',
        code: 'SERVER_INTERNAL',
      });
    } finally {
      await server.close();
      await sim.close();
    }
  });

  it('sheds turns past maxTurns with 503', async () => {
    const sim = await startOllamaSim({
      profile: 'fast',
      preload: ['llama3.2:3b'],
      latency: { tokensPerSecond: 50 },
      models: [
        { name: 'llama3.2:3b', answerTokens: 1_000 },
        { name: 'nomic-embed-text', capabilities: ['embedding'] },
      ],
    });
    const server = await startServer({ ollamaHosts: [sim.url], port: 0, maxTurns: 1 });
    try {
      const controller = new AbortController();
      const first = await postJson(
        `${server.url}/v1/turns`,
        { message: 'Tell me a long story.' },
        {},
        controller.signal,
      );
      expect(first.status).toBe(200);
      const second = await postJson(`${server.url}/v1/turns`, { message: 'Another one.' });
      expect(second.status).toBe(503);
      expect(second.headers.get('retry-after')).toBe('1');
      expect(await second.json()).toMatchObject({ code: 'SERVER_BUSY' });
      controller.abort();
    } finally {
      await server.close({ graceMs: 0 });
      await sim.close();
    }
  });
});
