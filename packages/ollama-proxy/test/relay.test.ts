import { waitFor } from '@lunar/dev-kit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, MODEL, ndjsonLines, postJson, startHarness } from './harness.js';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(
    {},
    // Slow enough that a long answer is still being written when a test leaves it.
    { latency: { tokensPerSecond: 200 }, script: ({ messages }) => ({ content: reply(messages) }) },
  );
});

afterAll(async () => {
  await harness.close();
});

beforeEach(() => {
  harness.sim.clearFaults();
});

/** A short answer, or a long one (20 s at 200 tokens/s) when the message asks for it. */
function reply(messages: ReadonlyArray<{ content: string }>): string {
  return messages.at(-1)?.content.includes('everything') ? ' word'.repeat(4_000) : 'A short answer.';
}

/** A chat body the cache cannot key (trailing bytes after the object), which Ollama still reads. */
const unkeyable = (content: string, extra: Record<string, unknown> = {}) =>
  `${JSON.stringify({ model: MODEL, messages: [{ role: 'user', content }], options: { temperature: 0 }, ...extra })} trailing`;

const requestsSent = () => harness.proxy.client.hosts()[0]!.requests;

describe('requests the proxy sends over the client pool', () => {
  it('sends /api/embeddings and bodies the cache cannot key over the pool: few connections for many requests', async () => {
    harness.sim.resetStats();
    const before = requestsSent();
    const embeddings: number[][] = [];
    for (let i = 0; i < 30; i++) {
      const response = await postJson(`${harness.url}/api/embeddings`, {
        model: 'nomic-embed-text',
        prompt: `a lunar cache, number ${i}`,
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-lunar-cache')).toBe('miss');
      embeddings.push(((await response.json()) as { embedding: number[] }).embedding);
    }
    for (let i = 0; i < 30; i++) {
      const response = await postJson(`${harness.url}/api/chat`, unkeyable(`Hello ${i}`, { stream: false }));
      expect(response.status).toBe(200);
      expect(response.headers.get('x-lunar-cache')).toBe('bypass');
      expect(await response.json()).toMatchObject({ done: true, message: { content: 'A short answer.' } });
    }
    expect(embeddings.every((vector) => vector.length === 768)).toBe(true);
    // All 60 went through the server's Ollama client, over its kept-alive connections.
    expect(requestsSent() - before).toBe(60);
    expect(harness.sim.stats().requests).toMatchObject({ '/api/embeddings': 30, '/api/chat': 30 });
    expect(harness.sim.stats().connectionsOpened).toBeLessThanOrEqual(2);
  });

  it("relays the legacy /api/embeddings' errors as Ollama sends them", async () => {
    const body = { model: 'nope:1b', prompt: 'x' };
    const [proxied, direct] = await Promise.all([
      postJson(`${harness.url}/api/embeddings`, body),
      postJson(`${harness.sim.url}/api/embeddings`, body),
    ]);
    expect(proxied.status).toBe(404);
    expect(proxied.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await proxied.json()).toEqual(await direct.json());
  });

  it('relays an unkeyable streamed chat as NDJSON, with its status, content type and lines', async () => {
    const body = unkeyable('Hi there');
    const [proxied, direct] = await Promise.all([
      postJson(`${harness.url}/api/chat`, body),
      postJson(`${harness.sim.url}/api/chat`, body),
    ]);
    expect(proxied.status).toBe(200);
    expect(proxied.headers.get('content-type')).toBe(direct.headers.get('content-type'));
    expect(proxied.headers.get('x-lunar-cache')).toBe('bypass');
    type Line = { message: { content: string }; done: boolean };
    const lines = ndjsonLines(await proxied.text()) as Line[];
    const directLines = ndjsonLines(await direct.text()) as Line[];
    expect(lines.map((line) => line.message.content)).toEqual(
      directLines.map((line) => line.message.content),
    );
    expect(lines.at(-1)!.done).toBe(true);
  });

  it('ends an unkeyable stream whose upstream connection drops with an {"error"} line', async () => {
    harness.sim.injectFault({ fault: { type: 'drop', afterChunks: 3 }, route: '/api/chat' });
    const response = await postJson(`${harness.url}/api/chat`, unkeyable('Tell me everything.'));
    expect(response.status).toBe(200);
    const lines = ndjsonLines(await response.text()) as Array<Record<string, unknown>>;
    expect(lines).toHaveLength(4);
    expect(lines.at(-1)).toEqual({ error: expect.stringContaining("the Ollama host's answer broke off") });
  });

  it('streams an unkeyable chat as it arrives, and a client that leaves stops the upstream', async () => {
    harness.sim.resetStats();
    const controller = new AbortController();
    const response = await postJson(
      `${harness.url}/api/chat`,
      unkeyable('Tell me everything.'),
      {},
      controller.signal,
    );
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    // The first chunk came while the simulator was still generating (20 s of answer): then leave.
    controller.abort();
    await waitFor(() => harness.sim.stats().clientDisconnects === 1);
    expect(harness.sim.stats().tokensGenerated).toBeLessThan(4_000);
    await waitFor(() => harness.proxy.client.hosts()[0]!.running === 0);
  });
});
