import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, MODEL, postJson, startHarness } from './harness.js';

let harness: Harness;
let checked: Harness;

beforeAll(async () => {
  harness = await startHarness({ origins: ['https://app.example', 'chrome-extension://*'] });
  checked = await startHarness({ hostCheck: true });
});

afterAll(async () => {
  await harness.close();
  await checked.close();
});

/** A request with a `Host` header of our choosing (fetch will not send one). */
function withHost(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { headers: { host } }, (response) => {
      let body = '';
      response.on('data', (chunk) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

describe('CORS like Ollama', () => {
  it('answers an allowed preflight 204 with the methods, headers and max age, on any path', async () => {
    for (const path of ['/api/chat', '/v1/chat/completions', '/anything']) {
      const response = await fetch(`${harness.url}${path}`, {
        method: 'OPTIONS',
        headers: {
          origin: 'http://localhost:5173',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,x-stainless-os',
        },
      });
      expect(response.status, path).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
      expect(response.headers.get('access-control-allow-methods')).toBe(
        'GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS',
      );
      expect(response.headers.get('access-control-allow-headers')).toContain('Content-Type,User-Agent');
      expect(response.headers.get('access-control-allow-headers')).toContain('X-Stainless-Os');
      expect(response.headers.get('access-control-max-age')).toBe('43200');
      expect(response.headers.get('vary')).toBe(
        'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
      );
    }
    expect(harness.sim.stats().requests.other ?? 0).toBe(0);
  });

  it('refuses an origin it does not allow with 403 and an empty body, whatever the method', async () => {
    for (const method of ['OPTIONS', 'GET', 'POST']) {
      const response = await fetch(`${harness.url}/api/tags`, {
        method,
        headers: { origin: 'https://attacker.example' },
        ...(method === 'POST' ? { body: '{}' } : {}),
      });
      expect(response.status, method).toBe(403);
      expect(await response.text()).toBe('');
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('puts Access-Control-Allow-Origin and Vary on every answer to an allowed origin, the extra origins too', async () => {
    for (const origin of ['http://127.0.0.1:3000', 'https://app.example', 'chrome-extension://abcdef']) {
      const response = await postJson(
        `${harness.url}/api/chat`,
        {
          model: MODEL,
          messages: [{ role: 'user', content: 'Hi' }],
          options: { temperature: 0 },
          stream: false,
        },
        { origin },
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
      expect(response.headers.get('access-control-expose-headers')).toBe('x-lunar-cache');
      expect(response.headers.get('vary')).toBe('Origin');
      await response.text();
    }
    const relayed = await fetch(`${harness.url}/api/tags`, { headers: { origin: 'http://localhost' } });
    expect(relayed.headers.get('access-control-allow-origin')).toBe('http://localhost');
    const missing = await fetch(`${harness.url}/api/nothing`, { headers: { origin: 'http://localhost' } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('access-control-allow-origin')).toBe('http://localhost');
  });

  it("adds nothing without an Origin, or for the server's own origin", async () => {
    const plain = await fetch(`${harness.url}/api/version`);
    expect(plain.headers.get('access-control-allow-origin')).toBeNull();
    expect(plain.headers.get('vary')).toBeNull();
    const own = await fetch(`${harness.url}/api/version`, { headers: { origin: harness.url } });
    expect(own.status).toBe(200);
    expect(own.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('the Host check (hostCheck)', () => {
  it('refuses a DNS-rebinding request (a foreign Host) with 403 before anything reaches the host', async () => {
    checked.sim.resetStats();
    const refused = await withHost(`${checked.url}/api/tags`, 'attacker.example:8080');
    expect(refused).toEqual({ status: 403, body: '' });
    expect(checked.sim.stats().requests['/api/tags'] ?? 0).toBe(0);
    for (const host of ['localhost:11434', '127.0.0.1', 'ollama.local', '[::1]:8080']) {
      const allowed = await withHost(`${checked.url}/api/tags`, host);
      expect(allowed.status, host).toBe(200);
    }
  });

  it('is off by default', async () => {
    const answered = await withHost(`${harness.url}/api/tags`, 'attacker.example:8080');
    expect(answered.status).toBe(200);
  });
});
