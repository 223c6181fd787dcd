import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { EMBED_MODEL, harnessPerFile, MODEL, postJson, startHarness } from './harness.js';

const harness = harnessPerFile();

type Json = Record<string, unknown>;
let counter = 0;
const freshChat = (extra: Json = {}) => ({
  model: MODEL,
  messages: [{ role: 'user', content: `Why is the sky blue? (v1 ${++counter})` }],
  temperature: 0,
  ...extra,
});
const completions = () => harness().sim.stats().requests['/v1/chat/completions'] ?? 0;

function events(text: string): string[] {
  expect(text.endsWith('\n\n')).toBe(true);
  return text
    .slice(0, -2)
    .split('\n\n')
    .map((frame) => frame.replace(/^data: /, ''));
}

/** An SSE answer's events with the per-answer fields (id, created, tool-call ids) set aside. */
function withoutIds(data: string[]): unknown[] {
  return data.map((text) => {
    if (text === '[DONE]') return text;
    const { id: _id, created: _created, ...rest } = JSON.parse(text) as Json;
    return JSON.parse(JSON.stringify(rest).replace(/"call_[a-z0-9]{8}"/g, '"call_"'));
  });
}

describe('the OpenAI-compatible routes through the proxy', () => {
  it('streams a deterministic chat as the host does, then replays it as the same SSE with fresh ids', async () => {
    const request = freshChat({ stream: true, stream_options: { include_usage: true } });
    const first = await postJson(`${harness().url}/v1/chat/completions`, request);
    expect(first.headers.get('content-type')).toBe('text/event-stream');
    expect(first.headers.get('x-lunar-cache')).toBe('miss');
    const missed = events(await first.text());
    const direct = events(await (await postJson(`${harness().sim.url}/v1/chat/completions`, request)).text());
    expect(withoutIds(missed)).toEqual(withoutIds(direct));
    expect(missed.at(-1)).toBe('[DONE]');

    const second = await postJson(`${harness().url}/v1/chat/completions`, request);
    expect(second.headers.get('x-lunar-cache')).toBe('hit');
    const hit = events(await second.text());
    expect(withoutIds(hit)).toEqual(withoutIds(missed));
    const ids = (data: string[]) => new Set(data.slice(0, -1).map((text) => (JSON.parse(text) as Json).id));
    expect(ids(hit).size).toBe(1);
    expect([...ids(hit)][0]).toMatch(/^chatcmpl-\d{1,3}$/);
    expect(completions()).toBe(2); // the miss and the direct call
  });

  it('caches whole answers apart from streamed ones, and only deterministic ones (no temperature means 1.0)', async () => {
    const request = freshChat();
    const first = await postJson(`${harness().url}/v1/chat/completions`, request);
    expect(first.headers.get('content-type')).toBe('application/json');
    expect(first.headers.get('x-lunar-cache')).toBe('miss');
    const answer = (await first.json()) as { id: string; choices: Array<{ message: { content: string } }> };
    const again = await postJson(`${harness().url}/v1/chat/completions`, request);
    expect(again.headers.get('x-lunar-cache')).toBe('hit');
    expect(((await again.json()) as typeof answer).choices).toEqual(answer.choices);
    const streamed = await postJson(`${harness().url}/v1/chat/completions`, { ...request, stream: true });
    expect(streamed.headers.get('x-lunar-cache')).toBe('miss');
    await streamed.text();
    const { temperature: _temperature, ...sampled } = request;
    for (let index = 0; index < 2; index++) {
      const response = await postJson(`${harness().url}/v1/chat/completions`, sampled);
      expect(response.headers.get('x-lunar-cache')).toBe('bypass');
      await response.text();
    }
    const seeded = { ...sampled, seed: 42 };
    await (await postJson(`${harness().url}/v1/chat/completions`, seeded)).text();
    expect(
      (await postJson(`${harness().url}/v1/chat/completions`, seeded)).headers.get('x-lunar-cache'),
    ).toBe('hit');
    const refreshed = await postJson(`${harness().url}/v1/chat/completions`, request, {
      'cache-control': 'no-cache',
    });
    expect(refreshed.headers.get('x-lunar-cache')).toBe('miss');
    await refreshed.text();
    expect(completions()).toBe(6);
  });

  it("relays the host's errors as it sent them, never caches them, and answers its own in OpenAI's shape", async () => {
    for (let index = 0; index < 2; index++) {
      const [proxied, direct] = await Promise.all([
        postJson(`${harness().url}/v1/chat/completions`, freshChat({ model: 'nope:1b' })),
        postJson(`${harness().sim.url}/v1/chat/completions`, freshChat({ model: 'nope:1b' })),
      ]);
      expect(proxied.status).toBe(404);
      expect(proxied.headers.get('content-type')).toBe(direct.headers.get('content-type'));
      expect(await proxied.text()).toBe(await direct.text());
    }
    const empty = await postJson(`${harness().url}/v1/chat/completions`, freshChat({ messages: [] }));
    expect(empty.status).toBe(400);
    expect(await empty.json()).toEqual({
      error: {
        message: "[] is too short - 'messages'",
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
    });
    harness().sim.injectFault({ fault: { type: 'drop', afterChunks: 3 }, route: '/v1/chat/completions' });
    const cut = await postJson(`${harness().url}/v1/chat/completions`, freshChat({ stream: true }));
    const data = events(await cut.text());
    expect(data).toHaveLength(4);
    expect(JSON.parse(data.at(-1)!)).toMatchObject({ error: { type: 'api_error' } });
  });

  it('embeds through the cache, floats and base64 apart, and relays the models list and other /v1 routes', async () => {
    const body = { model: EMBED_MODEL, input: [`lunar ${++counter}`, 'cache'] };
    const first = await postJson(`${harness().url}/v1/embeddings`, body);
    expect(first.headers.get('x-lunar-cache')).toBe('miss');
    const vectors = await first.json();
    expect(vectors).toEqual(await (await postJson(`${harness().sim.url}/v1/embeddings`, body)).json());
    const hit = await postJson(`${harness().url}/v1/embeddings`, body);
    expect(hit.headers.get('x-lunar-cache')).toBe('hit');
    expect(await hit.json()).toEqual(vectors);
    const base64 = await postJson(`${harness().url}/v1/embeddings`, { ...body, encoding_format: 'base64' });
    expect(base64.headers.get('x-lunar-cache')).toBe('miss');
    await base64.text();
    for (const path of ['/v1/models', `/v1/models/${MODEL}`, '/v1/models/nope', '/v1/responses']) {
      const [proxied, direct] = await Promise.all([
        fetch(`${harness().url}${path}`),
        fetch(`${harness().sim.url}${path}`),
      ]);
      expect(proxied.status, path).toBe(direct.status);
      expect(proxied.headers.get('x-lunar-cache')).toBe('bypass');
      expect(await proxied.text(), path).toBe(await direct.text());
    }
  });

  it('serves the openai SDK: text, tool calls, usage, embeddings; repeats are hits', async () => {
    const seen: string[] = [];
    const openai = new OpenAI({
      baseURL: `${harness().url}/v1`,
      apiKey: 'ollama',
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        seen.push(response.headers.get('x-lunar-cache') ?? 'none');
        return response;
      },
    });
    const tools = [
      {
        type: 'function' as const,
        function: {
          name: 'get_weather',
          description: 'Get the weather in a city',
          parameters: { type: 'object', required: ['city'], properties: { city: { type: 'string' } } },
        },
      },
    ];
    const ask = async () => {
      const stream = await openai.chat.completions.create({
        model: MODEL,
        messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
        tools,
        temperature: 0,
        stream: true,
        stream_options: { include_usage: true },
      });
      const calls: unknown[] = [];
      let usage: unknown;
      for await (const chunk of stream) {
        calls.push(...(chunk.choices[0]?.delta.tool_calls ?? []).map((call) => call.function));
        usage ??= chunk.usage ?? undefined;
      }
      return { calls, usage };
    };
    const first = await ask();
    expect(first.calls).toEqual([{ name: 'get_weather', arguments: '{"city":"Paris"}' }]);
    expect(first.usage).toMatchObject({ completion_tokens: expect.any(Number) });
    expect(await ask()).toEqual(first);
    expect(seen).toEqual(['miss', 'hit']);
  });

  it("answers 503 past maxInFlight in OpenAI's shape", async () => {
    const busy = await startHarness({ maxInFlight: 1 }, { latency: { tokensPerSecond: 50 } });
    try {
      const controller = new AbortController();
      const holding = await postJson(
        `${busy.url}/v1/chat/completions`,
        freshChat({ stream: true }),
        {},
        controller.signal,
      );
      const reader = holding.body!.getReader();
      await reader.read();
      const refused = await postJson(`${busy.url}/v1/chat/completions`, freshChat());
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(await refused.json()).toEqual({
        error: {
          message: 'server busy, please try again.  maximum pending requests exceeded',
          type: 'api_error',
          param: null,
          code: null,
        },
      });
      controller.abort();
      await reader.closed.catch(() => undefined);
    } finally {
      await busy.close();
    }
  });
});
