import { waitFor } from '@lunar/dev-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, MODEL, postJson, startHarness } from './helpers.js';

// maxProxied 2 in front of a slow simulator (20 tokens/s, 400-token answers: 20 s a stream; 4 streams
// at once), so two streamed chats hold both slots until their clients leave.

const BUSY = 'server busy, please try again.  maximum pending requests exceeded';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(
    { maxProxied: 2 },
    {
      latency: { tokensPerSecond: 20 },
      models: [
        { name: MODEL, answerTokens: 400, parallel: 4 },
        { name: 'nomic-embed-text', capabilities: ['embedding'] },
      ],
    },
  );
});

afterAll(async () => {
  await harness.close();
});

let counter = 0;
const chat = (stream: boolean) => ({
  model: MODEL,
  messages: [{ role: 'user', content: `Tell me a long story (${++counter}).` }],
  options: { temperature: 0 },
  stream,
});

/** A streamed chat whose first chunk has arrived: it holds a slot until `leave()`. */
async function holdSlot() {
  const controller = new AbortController();
  const response = await postJson(`${harness.url}/api/chat`, chat(true), {}, controller.signal);
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  await reader.read();
  return {
    leave() {
      controller.abort();
      return reader.closed.catch(() => undefined);
    },
  };
}

const metrics = async () => (await fetch(`${harness.url}/metrics`)).text();

describe('maxProxied', () => {
  it('past the limit answers 503 as a busy Ollama, with Retry-After; a slot frees when a call ends', async () => {
    const first = await holdSlot();
    const second = await holdSlot();
    try {
      expect(harness.server.proxiedInFlight).toBe(2);
      const refused: Array<[string, string | Record<string, unknown>]> = [
        ['/api/chat', chat(true)],
        ['/api/generate', { model: MODEL, prompt: 'Hello', stream: false }],
        ['/api/embed', { model: 'nomic-embed-text', input: 'hello' }],
        ['/api/chat', 'not json: relayed raw when there is room'],
      ];
      for (const [path, body] of refused) {
        const response = await postJson(`${harness.url}${path}`, body);
        expect(response.status, path).toBe(503);
        expect(response.headers.get('retry-after')).toBe('1');
        expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
        expect(await response.json()).toEqual({ error: BUSY });
      }
      // Model metadata is not a held call: still answered.
      expect((await fetch(`${harness.url}/api/tags`)).status).toBe(200);
      const text = await metrics();
      expect(text).toContain('lunar_proxy_busy_total{route="/api/chat"} 2');
      expect(text).toContain('lunar_proxy_busy_total{route="/api/generate"} 1');
      expect(text).toContain('lunar_proxy_in_flight 2');
      expect(text).toContain('lunar_http_requests_total{method="POST",route="/api/chat",status="503"} 2');

      await first.leave();
      await waitFor(() => harness.server.proxiedInFlight === 1);
      const admitted = await postJson(`${harness.url}/api/embed`, { model: 'nomic-embed-text', input: 'hi' });
      expect(admitted.status).toBe(200);
      expect(((await admitted.json()) as { embeddings: unknown[] }).embeddings).toHaveLength(1);
    } finally {
      await first.leave();
      await second.leave();
    }
    await waitFor(() => harness.server.proxiedInFlight === 0);
    expect(await metrics()).toContain('lunar_proxy_in_flight 0');
  }, 30_000);
});
