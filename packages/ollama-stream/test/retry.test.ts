import { waitFor } from '@lunar/dev-kit';
import { type OllamaSim, startOllamaSim } from '@lunar/ollama-sim';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OllamaClient } from '../src/index.js';
import { failure, freePort, user } from './helpers.js';

let sim: OllamaSim;
let client: OllamaClient;

beforeAll(async () => {
  sim = await startOllamaSim({ preload: ['llama3.2:3b'] });
  client = new OllamaClient({ host: sim.url, retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5 } });
});

afterEach(() => {
  sim.clearFaults();
  sim.resetStats();
});

afterAll(async () => {
  await client.close();
  await sim.close();
});

const chat = { model: 'llama3.2:3b', messages: user('hello') };
const chatRequests = () => sim.stats().requests['/api/chat'] ?? 0;

describe('retries: only before any byte of the response', () => {
  it('retries a connection reset before the headers, and succeeds', async () => {
    sim.injectFault({ fault: { type: 'drop', afterChunks: 0 }, route: '/api/chat', times: 2 });
    const final = await client.chat(chat).final();
    expect(final.done).toBe(true);
    expect(chatRequests()).toBe(3);
    expect(client.hosts()[0]!.failures).toBe(2);
  });

  it('retries non-streamed calls the same way', async () => {
    sim.injectFault({ fault: { type: 'drop', afterChunks: 0 }, route: '/api/chat', times: 1 });
    expect((await client.chat({ ...chat, stream: false })).done).toBe(true);
    expect(chatRequests()).toBe(2);
  });

  it('gives up after `retries` with OLLAMA_UNREACHABLE', async () => {
    sim.injectFault({ fault: { type: 'drop', afterChunks: 0 }, route: '/api/chat', times: 3 });
    const error = await failure(client.chat(chat).final());
    expect(error.code).toBe('OLLAMA_UNREACHABLE');
    expect(error.message).toContain(
      `The connection to Ollama at ${sim.url} closed before any response: the server closed the connection (3 attempts).`,
    );
    expect(error.message).toContain('3 attempts');
    expect(chatRequests()).toBe(3);
  });

  it('never retries once streaming began: a drop after the first chunk is one request', async () => {
    sim.injectFault({ fault: { type: 'drop', afterChunks: 1 }, route: '/api/chat', times: 3 });
    const stream = client.chat(chat);
    const seen: unknown[] = [];
    const error = await failure(
      (async () => {
        for await (const chunk of stream) seen.push(chunk);
      })(),
    );
    expect(error.code).toBe('OLLAMA_PROTOCOL_ERROR');
    expect(seen).toHaveLength(1);
    expect(chatRequests()).toBe(1);
  });

  it('never retries an answer: a 503 or a 500 is one request', async () => {
    sim.injectFault({ fault: { type: 'status', status: 503 }, route: '/api/chat' });
    expect((await failure(client.chat(chat).final())).code).toBe('OLLAMA_BUSY');
    sim.injectFault({ fault: { type: 'status', status: 500 }, route: '/api/chat' });
    expect((await failure(client.chat(chat).final())).code).toBe('OLLAMA_HTTP_ERROR');
    expect(chatRequests()).toBe(2);
  });

  it('waits with backoff while Ollama starts, then connects', async () => {
    const port = await freePort();
    const patient = new OllamaClient({ host: `127.0.0.1:${port}`, retry: { retries: 6, minDelayMs: 50 } });
    let late: OllamaSim | undefined;
    try {
      const answer = patient.chat({ ...chat, stream: false });
      await waitFor(() => patient.hosts()[0]!.failures >= 1); // refused at least once: in its backoff
      late = await startOllamaSim({ port, preload: ['llama3.2:3b'] });
      expect((await answer).done).toBe(true);
      const [host] = patient.hosts();
      expect(host!.failures).toBeGreaterThanOrEqual(1);
      expect(host!.requests).toBe(host!.failures + 1);
    } finally {
      await patient.close();
      await late?.close();
    }
  });

  it('does not retry with retries: 0', async () => {
    const port = await freePort();
    const once = new OllamaClient({ host: `127.0.0.1:${port}`, retry: { retries: 0 } });
    const error = await failure(once.version());
    expect(error.message).toContain('1 attempt)');
    expect(once.hosts()[0]!.requests).toBe(1);
    await once.close();
  });

  it('an abort during the backoff ends the call at once', async () => {
    const port = await freePort();
    const slow = new OllamaClient({ host: `127.0.0.1:${port}`, retry: { retries: 5, minDelayMs: 10_000 } });
    const controller = new AbortController();
    const call = slow.version({ signal: controller.signal });
    await waitFor(() => slow.hosts()[0]!.failures === 1); // refused once: now in its 10 s backoff
    controller.abort();
    const error = await failure(call);
    expect(error.code).toBe('OLLAMA_ABORTED');
    expect(slow.hosts()[0]!.requests).toBe(1);
    await slow.close();
  });
});
