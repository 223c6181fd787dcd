import { request } from 'node:http';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './helpers.js';

const TOKEN = 'a-very-long-test-token-0123456789';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with the headers a browser (or a rebinding page) would send: node:http lets a test set `Host`. */
function send(url: string, path: string, headers: Record<string, string>, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    request(`${url}${path}`, { method, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body }));
    })
      .on('error', reject)
      .end();
  });
}

/** Every kind of route: the server's own, the chat page, the proxy, the operations routes. */
const ROUTES = ['/v1/memories', '/ui', '/api/tags', '/api/version', '/metrics', '/healthz', '/readyz'];

describe('on loopback without a token: the Host check', () => {
  let harness: Harness;
  let port: string;
  beforeAll(async () => {
    harness = await startHarness();
    port = new URL(harness.url).port;
  });
  afterAll(async () => {
    await harness.close();
  });

  it('refuses a DNS-rebinding request (a foreign Host) on every route with a 403 in words', async () => {
    for (const path of ROUTES) {
      const answer = await send(harness.url, path, { host: 'attacker.example:8080' });
      expect(answer.status, path).toBe(403);
      expect(JSON.parse(answer.body), path).toEqual({
        code: 'SERVER_HOST_REFUSED',
        error: expect.stringContaining('The Host header "attacker.example:8080" names another machine'),
      });
    }
    const turn = await send(
      harness.url,
      '/v1/turns',
      { host: 'attacker.example', 'content-type': 'application/json' },
      'POST',
    );
    expect(turn.status).toBe(403);
    for (const host of ['127.0.0.1.attacker.example', 'localhost.attacker.example:80', '8.8.8.8']) {
      expect((await send(harness.url, '/v1/memories', { host })).status, host).toBe(403);
    }
  });

  it('answers the names of this machine, as Ollama does', async () => {
    for (const host of [
      `localhost:${port}`,
      `127.0.0.1:${port}`,
      'localhost',
      `[::1]:${port}`,
      `app.localhost:${port}`,
      `${hostname()}:${port}`,
      `printer.local:${port}`,
      `api.internal:${port}`,
      `192.168.1.20:${port}`,
      `10.0.0.3:${port}`,
    ]) {
      expect((await send(harness.url, '/v1/memories', { host })).status, host).toBe(200);
    }
  });

  it('follows the CORS rules on every route: a foreign origin is refused, a local page may call', async () => {
    const host = `127.0.0.1:${port}`;
    for (const path of ROUTES) {
      const foreign = await send(harness.url, path, { host, origin: 'https://evil.example' });
      expect(foreign.status, path).toBe(403);
      const local = await send(harness.url, path, { host, origin: 'http://localhost:3000' });
      expect(local.status, path).not.toBe(403);
      expect(local.headers['access-control-allow-origin'], path).toBe('http://localhost:3000');
    }
    // A preflight is answered before anything else, with what the page may send.
    const preflight = await send(
      harness.url,
      '/v1/turns',
      {
        host,
        origin: 'http://localhost:3000',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
      'OPTIONS',
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-methods']).toContain('POST');
    expect(String(preflight.headers['access-control-allow-headers'])).toContain('Content-Type');
    // The server's own page is not a cross-origin caller.
    const own = await send(harness.url, '/v1/memories', { host, origin: `http://${host}` });
    expect(own.status).toBe(200);
    expect(own.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('with a token', () => {
  it('leaves Host alone (the token guards every route), and still follows the CORS rules', async () => {
    const harness = await startHarness({ token: TOKEN });
    try {
      const authorization = `Bearer ${TOKEN}`;
      const foreignHost = await send(harness.url, '/v1/memories', {
        host: 'lunar.example.com',
        authorization,
      });
      expect(foreignHost.status).toBe(200);
      expect((await send(harness.url, '/v1/memories', { host: 'lunar.example.com' })).status).toBe(401);
      const foreignOrigin = await send(harness.url, '/v1/memories', {
        host: 'lunar.example.com',
        origin: 'https://evil.example',
        authorization,
      });
      expect(foreignOrigin.status).toBe(403);
      // A preflight carries no token: it is answered before the token is asked for.
      const preflight = await send(
        harness.url,
        '/v1/memories',
        { origin: 'http://localhost:5173', 'access-control-request-method': 'GET' },
        'OPTIONS',
      );
      expect(preflight.status).toBe(204);
    } finally {
      await harness.close();
    }
  });
});
