import { waitFor } from '@lunar/dev-kit';
import { type OllamaSim, startOllamaSim } from '@lunar/ollama-sim';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OllamaClient, type RawResponse } from '../src/index.js';
import { abortListeners, activeTimers, failure, freePort, user } from './helpers.js';

let sim: OllamaSim;
let client: OllamaClient;
let disconnects = 0;

beforeAll(async () => {
  // 200 tokens/s, 400-token answers: a stream is still running when a test cancels it.
  sim = await startOllamaSim({
    models: [
      { name: 'llama3.2:3b', capabilities: ['completion'], answerTokens: 400 },
      { name: 'nomic-embed-text', capabilities: ['embedding'] },
    ],
    preload: ['llama3.2:3b', 'nomic-embed-text'],
    parallel: 2,
    latency: { tokensPerSecond: 200 },
  });
  client = new OllamaClient({ host: sim.url, retry: { minDelayMs: 1, maxDelayMs: 5 } });
});

beforeEach(async () => {
  await waitFor(() => sim.stats().generationsInFlight === 0);
  disconnects = sim.stats().clientDisconnects;
});

afterEach(() => sim.clearFaults());

afterAll(async () => {
  await client.close();
  await sim.close();
});

const fault = (value: object) => ({ 'x-ollama-sim-fault': JSON.stringify(value) });
const chatBody = (model = 'llama3.2:3b') => JSON.stringify({ model, messages: user('Tell me a story') });

async function chunksOf(response: RawResponse): Promise<string[]> {
  const chunks: string[] = [];
  for await (const chunk of response.body) chunks.push(Buffer.from(chunk).toString());
  return chunks;
}

describe('request(): any request over the pool', () => {
  it('GETs a route with its status, headers and host, the body read as JSON', async () => {
    const response = await client.request({ method: 'GET', path: '/api/tags' });
    expect(response.status).toBe(200);
    expect(response.host).toBe(sim.url);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    const tags = (await response.body.json()) as { models: Array<{ name: string }> };
    expect(tags.models.map((model) => model.name)).toContain('llama3.2:3b');
    expect(response.body.used).toBe(true);
  });

  it("relays a 404 untouched: status, content type and body are Ollama's", async () => {
    const response = await client.request({ method: 'POST', path: '/api/chat', body: chatBody('x') });
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(await response.body.text()).toBe(`{"error":"model 'x' not found"}`);
  });

  it('relays an error line mid-stream as bytes, status 200', async () => {
    const response = await client.request({
      method: 'POST',
      path: '/api/chat',
      body: chatBody(),
      headers: fault({ type: 'error-line', afterChunks: 2, message: 'oom' }),
    });
    expect(response.status).toBe(200);
    const lines = (await response.body.text()).trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('{"error":"oom"}');
  });

  it('sends a byte body, the legacy embeddings route included', async () => {
    const body = new TextEncoder().encode(JSON.stringify({ model: 'nomic-embed-text', prompt: 'hi' }));
    const response = await client.request({ method: 'POST', path: '/api/embeddings', body });
    expect(response.status).toBe(200);
    expect(((await response.body.json()) as { embedding: number[] }).embedding).toHaveLength(768);
  });

  it('HEAD has an empty body; DELETE reaches the server', async () => {
    const head = await client.request({ method: 'HEAD', path: '/' });
    expect(head.status).toBe(200);
    expect(await head.body.text()).toBe('');
    const deleted = await client.request({ method: 'DELETE', path: '/api/delete', body: '{"model":"x"}' });
    expect(deleted.status).toBe(404);
    expect(JSON.parse(await deleted.body.text())).toEqual({ error: "model 'x' not found" });
    expect(sim.stats().requests['/api/delete']).toBe(1);
  });

  it('streams a body chunk by chunk, and an abort mid-body reaches the socket', async () => {
    const controller = new AbortController();
    const response = await client.request(
      { method: 'POST', path: '/api/chat', body: chatBody() },
      { signal: controller.signal },
    );
    expect(response.headers['content-type']).toBe('application/x-ndjson');
    let seen = 0;
    const error = await failure(
      (async () => {
        for await (const chunk of response.body) {
          // Ollama's lines as they were written (one read may hold more than one on a busy machine).
          for (const line of Buffer.from(chunk).toString().trim().split('\n')) {
            expect(JSON.parse(line).done).toBe(false);
          }
          if (++seen === 3) controller.abort(new Error('user left'));
        }
      })(),
    );
    expect(error.code).toBe('OLLAMA_ABORTED');
    expect(seen).toBe(3);
    await waitFor(() => sim.stats().clientDisconnects === disconnects + 1);
    await waitFor(() => client.hosts()[0]!.running === 0);
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it('break and cancel() close the socket too', async () => {
    const broken = await client.request({ method: 'POST', path: '/api/chat', body: chatBody() });
    for await (const _ of broken.body) break;
    await waitFor(() => sim.stats().clientDisconnects === disconnects + 1);
    const cancelled = await client.request({ method: 'POST', path: '/api/chat', body: chatBody() });
    cancelled.body.cancel();
    await waitFor(() => sim.stats().clientDisconnects === disconnects + 2);
    expect((await failure(cancelled.body.text())).code).toBe('OLLAMA_ABORTED');
  });

  it('reads a whole body only up to maxBodyBytes, then closes the socket', async () => {
    const response = await client.request(
      { method: 'POST', path: '/api/chat', body: chatBody() },
      { maxBodyBytes: 1000 },
    );
    const error = await failure(response.body.text());
    expect(error.code).toBe('OLLAMA_PROTOCOL_ERROR');
    expect(error.message).toContain('larger than maxBodyBytes (1000 bytes)');
    await waitFor(() => sim.stats().clientDisconnects === disconnects + 1);
  });

  it('retries a reset before the first byte, but never once the body started', async () => {
    sim.resetStats();
    sim.injectFault({ fault: { type: 'drop', afterChunks: 0 }, route: '/api/tags', times: 1 });
    const retried = await client.request({ method: 'GET', path: '/api/tags' });
    expect(retried.status).toBe(200);
    await retried.body.json();
    expect(sim.stats().requests['/api/tags']).toBe(2);
    const dropped = await client.request({
      method: 'POST',
      path: '/api/chat',
      body: chatBody(),
      headers: fault({ type: 'drop', afterChunks: 2 }),
    });
    const error = await failure(chunksOf(dropped));
    expect(error.code).toBe('OLLAMA_PROTOCOL_ERROR');
    expect(error.message).toContain('the connection closed before the end of the body');
    expect(sim.stats().requests['/api/chat']).toBe(1);
  });

  it('applies the deadlines: headersMs to the headers, idleMs between chunks', async () => {
    const stalled = client.request(
      { method: 'GET', path: '/api/tags', headers: fault({ type: 'stall', ms: 5000 }) },
      { timeouts: { headersMs: 80 } },
    );
    expect(await failure(stalled)).toMatchObject({ code: 'OLLAMA_TIMEOUT', deadline: 'headersMs' });
    const idle = await client.request(
      {
        method: 'POST',
        path: '/api/chat',
        body: chatBody(),
        headers: fault({ type: 'stall', ms: 5000, afterChunks: 2 }),
      },
      { timeouts: { idleMs: 100 } },
    );
    expect(await failure(chunksOf(idle))).toMatchObject({ code: 'OLLAMA_TIMEOUT', deadline: 'idleMs' });
  });

  it('skips a host that refuses connections, like the typed calls', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const several = new OllamaClient({ hosts: [dead, sim.url] });
    try {
      for (let i = 0; i < 4; i++) {
        const response = await several.request({ method: 'GET', path: '/api/version' });
        expect(response.host).toBe(sim.url);
        await response.body.json();
      }
      expect(several.hosts()[0]).toMatchObject({ url: dead, down: true });
    } finally {
      await several.close();
    }
  });

  it('close() aborts a body being read', async () => {
    const closing = new OllamaClient({ host: sim.url });
    const response = await closing.request({ method: 'POST', path: '/api/chat', body: chatBody() });
    const reading = failure(response.body.text());
    await closing.close();
    expect((await reading).code).toBe('OLLAMA_ABORTED');
    await waitFor(() => sim.stats().clientDisconnects === disconnects + 1);
  });

  it('a body is read once', async () => {
    const response = await client.request({ method: 'GET', path: '/api/version' });
    await response.body.text();
    await expect(response.body.json()).rejects.toThrow('The response body was already read');
    expect(() => response.body[Symbol.asyncIterator]()).toThrow(TypeError);
  });

  it('validates the request at the call: TypeErrors naming what is wrong', () => {
    const bad = (request: object) => () => client.request(request as never);
    expect(bad({ method: 'GET', path: 'http://evil.example/api/tags' })).toThrow(
      'Expected `path` of the request to be a path on the Ollama server such as "/api/tags" (starting with "/"), got "http://evil.example/api/tags"',
    );
    expect(bad({ method: 'GET', path: '/api/../etc/passwd' })).toThrow('no "." or ".." segment');
    expect(bad({ method: 'TRACE', path: '/api/tags' })).toThrow(
      'Expected `method` of the request to be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, got "TRACE"',
    );
    expect(bad({ method: 'GET', path: '/api/tags', body: 'x' })).toThrow(
      'A GET request cannot have a `body`',
    );
    const timers = activeTimers();
    expect(() => client.request({ method: 'GET', path: 'x' }, { timeouts: { totalMs: 60_000 } })).toThrow(
      TypeError,
    );
    expect(activeTimers()).toBe(timers);
    expect(() => client.request({ method: 'GET', path: '/' }, null as never)).toThrow(
      'Expected the call options to be an object, got null',
    );
    expect(() => client.request({ method: 'GET', path: '/' }, { maxBodyBytes: 0 })).toThrow(
      'Expected `maxBodyBytes` to be a positive integer, got 0',
    );
  });
});
