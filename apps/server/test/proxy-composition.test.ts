import { request } from 'node:http';
import { startOllamaSim } from '@lunar/ollama-sim';
import { describe, expect, it } from 'vitest';
import { startServer } from '../src/index.js';

const TOKEN = 'a-very-long-test-token-0123456789';

/** A GET with a `Host` header of our choosing (fetch will not send one). */
function getWithHost(url: string, host: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { headers: { host, ...headers } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

describe('the proxy in lunar-server', () => {
  it("applies Ollama's Host check to the proxy's routes on a loopback bind without a token", async () => {
    const sim = await startOllamaSim({ profile: 'fast' });
    const server = await startServer({ upstreams: [sim.url], port: 0 });
    try {
      expect(await getWithHost(`${server.url}/api/tags`, 'attacker.example:8080')).toBe(403);
      expect(await getWithHost(`${server.url}/api/tags`, 'localhost:8080')).toBe(200);
    } finally {
      await server.close();
      await sim.close();
    }
  });

  it('leaves the Host alone with a token (the token is the guard), and extends CORS with origins', async () => {
    const sim = await startOllamaSim({ profile: 'fast' });
    const server = await startServer({
      upstreams: [sim.url],
      port: 0,
      token: TOKEN,
      origins: ['https://app.example'],
    });
    try {
      const authorization = `Bearer ${TOKEN}`;
      expect(await getWithHost(`${server.url}/api/tags`, 'lunar.example.com', { authorization })).toBe(200);
      const allowed = await fetch(`${server.url}/api/tags`, {
        headers: { authorization, origin: 'https://app.example' },
      });
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example');
      const refused = await fetch(`${server.url}/api/tags`, {
        headers: { authorization, origin: 'https://other.example' },
      });
      expect(refused.status).toBe(403);
    } finally {
      await server.close();
      await sim.close();
    }
  });
});
