import { request } from 'node:http';
import { startOllamaSim } from '@lunar/ollama-sim';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { hostCheckHook, OllamaProxy, ollamaProxyPlugin } from '../src/index.js';
import { MODEL, postJson } from './harness.js';

function statusWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { headers: { host } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

describe('ollamaProxyPlugin', () => {
  it('serves the proxy beside your own routes (yours win), under a prefix, and closes the proxy it made', async () => {
    const sim = await startOllamaSim({ profile: 'fast', preload: [MODEL] });
    const app = Fastify();
    app.get('/health', async () => ({ ok: true }));
    await app.register(ollamaProxyPlugin, { hosts: [sim.url], prefix: '/ollama' });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      expect(await (await fetch(`${url}/health`)).json()).toEqual({ ok: true });
      const chat = { model: MODEL, messages: [{ role: 'user', content: 'Hi' }], options: { temperature: 0 } };
      const first = await postJson(`${url}/ollama/api/chat`, { ...chat, stream: false });
      expect(first.headers.get('x-lunar-cache')).toBe('miss');
      await first.text();
      const second = await postJson(`${url}/ollama/api/chat`, { ...chat, stream: false });
      expect(second.headers.get('x-lunar-cache')).toBe('hit');
      await second.text();
      const tags = await fetch(`${url}/ollama/api/tags`);
      expect(await tags.json()).toEqual(await (await fetch(`${sim.url}/api/tags`)).json());
      expect(await (await fetch(`${url}/ollama`)).text()).toBe('Ollama is running');
    } finally {
      await app.close();
      await sim.close();
    }
  });

  it('takes a proxy made beforehand, and hostCheckHook guards the routes it is added to', async () => {
    const sim = await startOllamaSim({ profile: 'fast' });
    const proxy = new OllamaProxy({ hosts: [sim.url] });
    const app = Fastify();
    app.addHook('onRequest', hostCheckHook);
    app.get('/mine', async () => 'mine');
    await app.register(ollamaProxyPlugin, { proxy });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      expect(await statusWithHost(`${url}/mine`, 'attacker.example')).toBe(403);
      expect(await statusWithHost(`${url}/api/version`, 'attacker.example')).toBe(403);
      expect(await statusWithHost(`${url}/api/version`, 'localhost')).toBe(200);
      const other = Fastify();
      await expect(other.register(ollamaProxyPlugin, { proxy, cors: false })).rejects.toThrow(
        'Pass either `proxy` or the options of a new proxy, not both',
      );
      await other.close();
    } finally {
      await app.close();
      await proxy.close();
      await sim.close();
    }
  });
});
