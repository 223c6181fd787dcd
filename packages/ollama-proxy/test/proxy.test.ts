import { Ollama } from 'ollama';
import { describe, expect, it } from 'vitest';
import { harnessPerFile, MODEL, ndjsonLines, postJson } from './harness.js';

const harness = harnessPerFile({ maxParsedBytes: 4096 });

const chats = () => harness().sim.stats().requests['/api/chat'] ?? 0;
let counter = 0;
/** A deterministic chat nobody asked before. */
const freshChat = (extra: Record<string, unknown> = {}) => ({
  model: MODEL,
  messages: [{ role: 'user', content: `Why is the sky blue? (question ${++counter})` }],
  options: { temperature: 0 },
  ...extra,
});

describe('Ollama-compatible proxy', () => {
  it('answers / and HEAD / like Ollama', async () => {
    const response = await fetch(`${harness().url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await response.text()).toBe('Ollama is running');
    const head = await fetch(`${harness().url}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('x-lunar-cache')).toBe('bypass');
  });

  it('relays /api/version, /api/tags, /api/ps and /api/show with the same bodies', async () => {
    for (const path of ['/api/version', '/api/tags', '/api/ps']) {
      const [proxied, direct] = await Promise.all([
        fetch(`${harness().url}${path}`),
        fetch(`${harness().sim.url}${path}`),
      ]);
      expect(proxied.status).toBe(200);
      expect(proxied.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(proxied.headers.get('x-lunar-cache')).toBe('bypass');
      expect(await proxied.json()).toEqual(await direct.json());
    }
    const show = await postJson(`${harness().url}/api/show`, { model: MODEL });
    const direct = await postJson(`${harness().sim.url}/api/show`, { model: MODEL });
    expect(await show.json()).toEqual(await direct.json());
    const missing = await postJson(`${harness().url}/api/show`, { model: 'nope:1b' });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "model 'nope:1b' not found" });
  });

  it('streams a chat as NDJSON chunk by chunk, then serves the repeat from the cache', async () => {
    const request = freshChat();
    const first = await postJson(`${harness().url}/api/chat`, request);
    expect(first.headers.get('content-type')).toBe('application/x-ndjson');
    expect(first.headers.get('x-lunar-cache')).toBe('miss');
    const chunks = ndjsonLines(await first.text()) as Array<{ done: boolean; message: { content: string } }>;
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.at(-1)!.done).toBe(true);
    const second = await postJson(`${harness().url}/api/chat`, request);
    expect(second.headers.get('x-lunar-cache')).toBe('hit');
    expect(ndjsonLines(await second.text())).toEqual(chunks);
    expect(chats()).toBe(1);
  });

  it('answers stream: false with one JSON object, and generate both ways', async () => {
    const whole = await postJson(`${harness().url}/api/chat`, freshChat({ stream: false }));
    expect(whole.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await whole.json()).toMatchObject({ done: true, message: { role: 'assistant' } });
    const prompt = { model: MODEL, prompt: 'Say <hello> & goodbye', options: { temperature: 0 } };
    const streamed = await postJson(`${harness().url}/api/generate`, prompt);
    const body = await streamed.text();
    const direct = await (await postJson(`${harness().sim.url}/api/generate`, prompt)).text();
    const text = (lines: string) =>
      (ndjsonLines(lines) as Array<{ response: string }>).map((chunk) => chunk.response).join('');
    expect(text(body)).toBe(text(direct));
    expect(body).not.toMatch(/[<>&]/); // escaped as Go writes JSON
    const generated = await postJson(`${harness().url}/api/generate`, { ...prompt, stream: false });
    expect(generated.headers.get('x-lunar-cache')).toBe('hit');
    expect(await generated.json()).toMatchObject({ response: text(body), done: true });
  });

  it('caches /api/embed and the legacy /api/embeddings', async () => {
    for (const [path, body] of [
      ['/api/embed', { model: 'nomic-embed-text', input: ['a lunar cache'] }],
      ['/api/embeddings', { model: 'nomic-embed-text', prompt: 'a lunar cache' }],
    ] as const) {
      const first = await postJson(`${harness().url}${path}`, body);
      expect(first.headers.get('x-lunar-cache')).toBe('miss');
      const vectors = (answer: unknown) => {
        const { embeddings, embedding } = answer as { embeddings?: unknown; embedding?: unknown };
        return embeddings ?? embedding;
      };
      const direct = await (await postJson(`${harness().sim.url}${path}`, body)).json();
      const proxied = await first.json();
      expect(Object.keys(proxied as object).sort()).toEqual(Object.keys(direct as object).sort());
      expect(vectors(proxied)).toEqual(vectors(direct));
      const second = await postJson(`${harness().url}${path}`, body);
      expect(second.headers.get('x-lunar-cache')).toBe('hit');
      expect(await second.json()).toEqual(proxied);
    }
    expect(harness().sim.stats().requests).toMatchObject({ '/api/embed': 2, '/api/embeddings': 2 });
  });

  it('honours Cache-Control no-cache and no-store, and bypasses sampled requests', async () => {
    const request = freshChat({ stream: false });
    await postJson(`${harness().url}/api/chat`, request);
    const refreshed = await postJson(`${harness().url}/api/chat`, request, { 'cache-control': 'no-cache' });
    expect(refreshed.headers.get('x-lunar-cache')).toBe('miss');
    expect(chats()).toBe(2);
    const unstored = freshChat({ stream: false });
    await postJson(`${harness().url}/api/chat`, unstored, { 'cache-control': 'no-store' });
    const again = await postJson(`${harness().url}/api/chat`, unstored);
    expect(again.headers.get('x-lunar-cache')).toBe('miss');
    const sampled = { model: MODEL, messages: [{ role: 'user', content: 'Hi' }] };
    const bypass = await postJson(`${harness().url}/api/chat`, sampled);
    expect(bypass.headers.get('x-lunar-cache')).toBe('bypass');
    await bypass.text();
  });

  it('sends 50 identical concurrent requests upstream once', async () => {
    const request = freshChat();
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => postJson(`${harness().url}/api/chat`, request)),
    );
    const bodies = await Promise.all(responses.map((response) => response.text()));
    expect(responses.every((response) => response.status === 200)).toBe(true);
    expect(new Set(bodies).size).toBe(1);
    const statuses = responses.map((response) => response.headers.get('x-lunar-cache'));
    expect(statuses.filter((status) => status === 'miss')).toHaveLength(1);
    expect(statuses.every((status) => ['miss', 'joined', 'hit'].includes(status!))).toBe(true);
    expect(harness().sim.stats().requests['/api/chat']).toBe(1);
  });

  it('answers errors as Ollama does: status and {"error"} from the upstream', async () => {
    const missingBody = await fetch(`${harness().url}/api/chat`, { method: 'POST' });
    expect(missingBody.status).toBe(400);
    expect(await missingBody.json()).toEqual({ error: 'missing request body' });
    const notFound = await postJson(`${harness().url}/api/chat`, freshChat({ model: 'nope:1b' }));
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toEqual({ error: "model 'nope:1b' not found" });
    // Bodies the cache cannot key go upstream as they are: Ollama's own texts come back.
    for (const body of ['{"model": ', '{"messages": []}', '[1]']) {
      const [proxied, direct] = await Promise.all([
        postJson(`${harness().url}/api/chat`, body),
        postJson(`${harness().sim.url}/api/chat`, body),
      ]);
      expect(proxied.status).toBe(direct.status);
      expect(await proxied.json()).toEqual(await direct.json());
    }
    harness().sim.injectFault({
      fault: { type: 'status', status: 503, message: 'busy!' },
      route: '/api/chat',
    });
    const busy = await postJson(`${harness().url}/api/chat`, freshChat());
    expect(busy.status).toBe(503);
    expect(await busy.json()).toEqual({ error: 'busy!' });
    const unknown = await fetch(`${harness().url}/api/nothing`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toBe('404 page not found');
  });

  it('ends a stream that fails midway with an {"error"} line, status 200', async () => {
    harness().sim.injectFault({
      fault: { type: 'error-line', afterChunks: 3, message: 'boom' },
      route: '/api/chat',
    });
    const response = await postJson(`${harness().url}/api/chat`, freshChat());
    expect(response.status).toBe(200);
    const lines = ndjsonLines(await response.text());
    expect(lines).toHaveLength(4);
    expect(lines.at(-1)).toEqual({ error: 'boom' });
  });

  it('relays a body past maxParsedBytes to the host as it streams in, uncached, instead of refusing it', async () => {
    const big = freshChat({ messages: [{ role: 'user', content: `${'x'.repeat(5000)} Hi` }], stream: false });
    const first = await postJson(`${harness().url}/api/chat`, big);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-lunar-cache')).toBe('bypass');
    const direct = await postJson(`${harness().sim.url}/api/chat`, big);
    const text = (body: unknown) => (body as { message: { content: string } }).message.content;
    expect(text(await first.json())).toBe(text(await direct.json()));
    const second = await postJson(`${harness().url}/api/chat`, big);
    expect(second.headers.get('x-lunar-cache')).toBe('bypass');
    await second.text();
    expect(chats()).toBe(3);
  });
});

describe('the official ollama client', () => {
  it('streams a chat with tool calls through the proxy and gets a cache hit on the repeat', async () => {
    const seen: string[] = [];
    const ollama = new Ollama({
      host: harness().url,
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        seen.push(response.headers.get('x-lunar-cache') ?? 'none');
        return response;
      },
    });
    const tools = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Get the weather in a city',
          parameters: { type: 'object', required: ['city'], properties: { city: { type: 'string' } } },
        },
      },
    ];
    const ask = async () => {
      const stream = await ollama.chat({
        model: MODEL,
        messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
        tools,
        options: { temperature: 0 },
        stream: true,
      });
      const calls: unknown[] = [];
      let chunks = 0;
      for await (const chunk of stream) {
        chunks++;
        calls.push(...(chunk.message.tool_calls ?? []));
      }
      return { calls, chunks };
    };
    const first = await ask();
    expect(first.calls).toMatchObject([{ function: { name: 'get_weather', arguments: { city: 'Paris' } } }]);
    const second = await ask();
    expect(second).toEqual(first);
    expect(seen).toEqual(['miss', 'hit']);
    expect(chats()).toBe(1);
  });
});
