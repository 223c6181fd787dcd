import { waitFor } from '@lunar/dev-kit';
import { type OllamaSim, startOllamaSim } from '@lunar/ollama-sim';
import { type ChatRequest, type ChatResponse, OllamaClient } from '@lunar/ollama-stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LLMCache } from '../src/index.js';
import { collect } from './fake-upstream.js';

let sim: OllamaSim;
let client: OllamaClient;

beforeAll(async () => {
  // Slow enough decoding (5 ms a token) for aborts to land mid-stream; a 24-token answer.
  sim = await startOllamaSim({
    profile: 'fast',
    latency: { tokensPerSecond: 200 },
    preload: ['llama3.2:3b'],
  });
  client = new OllamaClient({ host: sim.url });
});

afterAll(async () => {
  await client.close();
  await sim.close();
});

afterEach(() => {
  sim.clearFaults();
  sim.resetStats();
});

let question = 0;
/** A distinct deterministic chat request per test, so tests never share cache entries. */
function chatRequest(extra: Partial<ChatRequest> = {}): ChatRequest {
  question++;
  return {
    model: 'llama3.2:3b',
    messages: [{ role: 'user', content: `Why is the sky blue? (question ${question})` }],
    options: { temperature: 0 },
    ...extra,
  };
}

const chatRequests = () => sim.stats().requests['/api/chat'] ?? 0;

describe('LLMCache in front of the Ollama simulator', () => {
  it('sends 100 concurrent identical calls to the simulator once', async () => {
    const cache = new LLMCache();
    const request = chatRequest();
    const streams = await Promise.all(
      Array.from({ length: 100 }, () =>
        cache.stream(request, (signal) => client.chat({ ...request, stream: true }, { signal })),
      ),
    );
    const answers = await Promise.all(streams.map((stream) => collect<ChatResponse>(stream)));
    expect(chatRequests()).toBe(1);
    expect(streams.filter((stream) => stream.status === 'joined')).toHaveLength(99);
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0]?.at(-1)?.done).toBe(true);
  });

  it('replays a streamed answer with tool calls exactly as the simulator sent it', async () => {
    const cache = new LLMCache();
    const request = chatRequest({
      messages: [{ role: 'user', content: 'Use get_weather for Tokyo, please.' }],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Current weather for a city',
            parameters: { type: 'object', required: ['city'], properties: { city: { type: 'string' } } },
          },
        },
      ],
    });
    const start = (signal: AbortSignal) => client.chat({ ...request, stream: true }, { signal });
    const recorded = await collect(await cache.stream(request, start));
    const replay = await cache.stream({ ...request, stream: true }, start);
    expect(replay.status).toBe('hit');
    expect(await collect(replay)).toEqual(recorded);
    expect(chatRequests()).toBe(1);
    const calls = recorded.flatMap((chunk) => chunk.message.tool_calls ?? []);
    expect(calls.map((call) => call.function.name)).toEqual(['get_weather']);
  });

  it('keeps joiners streaming when one aborts, and stores the answer', async () => {
    const cache = new LLMCache();
    const request = chatRequest();
    const start = (signal: AbortSignal) => client.chat({ ...request, stream: true }, { signal });
    const leaving = new AbortController();
    const first = await cache.stream(request, start, { signal: leaving.signal });
    const others = await Promise.all([cache.stream(request, start), cache.stream(request, start)]);
    await first.next();
    leaving.abort();
    const answers = await Promise.all(others.map((stream) => collect<ChatResponse>(stream)));
    expect(answers[0]?.at(-1)?.done).toBe(true);
    expect(sim.stats().clientDisconnects).toBe(0);
    expect((await cache.stream(request, start)).status).toBe('hit');
    expect(chatRequests()).toBe(1);
  });

  it('cancels the simulator generation when every consumer has gone, and stores nothing', async () => {
    const cache = new LLMCache();
    const request = chatRequest();
    const start = (signal: AbortSignal) => client.chat({ ...request, stream: true }, { signal });
    const controllers = [new AbortController(), new AbortController()];
    const streams = await Promise.all(
      controllers.map((controller) => cache.stream(request, start, { signal: controller.signal })),
    );
    await Promise.all(streams.map((stream) => stream.next()));
    for (const controller of controllers) controller.abort();
    await waitFor(() => sim.stats().clientDisconnects === 1, {
      message: 'the simulator to see the client leave',
    });
    expect(cache.stats().entries).toBe(0);
  });

  it.each([
    ['an error line mid-stream', { type: 'error-line', afterChunks: 3, message: 'model runner crashed' }],
    ['a dropped connection', { type: 'drop', afterChunks: 3 }],
    ['an error status', { type: 'status', status: 500, message: 'boom' }],
  ] as const)('stores nothing after %s', async (_name, fault) => {
    const cache = new LLMCache();
    const request = chatRequest();
    const start = (signal: AbortSignal) => client.chat({ ...request, stream: true }, { signal });
    sim.injectFault({ fault, route: '/api/chat' });
    await expect(cache.stream(request, start).then(collect)).rejects.toThrow();
    expect(cache.stats().entries).toBe(0);
    const retry = await cache.stream(request, start);
    expect(retry.status).toBe('miss');
    expect((await collect(retry)).at(-1)?.done).toBe(true);
    expect(chatRequests()).toBe(2);
  });

  it('caches whole responses and embeddings through getOrCompute', async () => {
    const cache = new LLMCache();
    const request = chatRequest({ stream: false });
    const compute = (signal: AbortSignal) => client.chat({ ...request, stream: false }, { signal });
    const first = await cache.getOrCompute(request, compute);
    const second = await cache.getOrCompute(request, compute);
    expect([first.status, second.status]).toEqual(['miss', 'hit']);
    expect(second.value).toEqual(first.value);
    const embedRequest = { model: 'nomic-embed-text', input: ['a lunar cache'] };
    const embedding = (signal: AbortSignal) => client.embed(embedRequest, { signal });
    await cache.getOrCompute(embedRequest, embedding);
    expect((await cache.getOrCompute(embedRequest, embedding)).status).toBe('hit');
    expect(sim.stats().requests['/api/embed']).toBe(1);
  });
});
