import { defaultScript, type OllamaSim, type Script, startOllamaSim } from '@lunar/ollama-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChatResponse, type GenerateResponse, OllamaClient } from '../src/index.js';
import { user, weatherTool } from './helpers.js';

/** The default scripted model, plus two fixed replies: two tool calls, and multi-byte text. */
const script: Script = (input) => {
  const last = input.messages.at(-1)?.content ?? '';
  if (last.includes('two cities')) {
    return {
      thinking: 'Two cities: call get_weather twice.',
      toolCalls: [
        { name: 'get_weather', arguments: { city: 'Tokyo' } },
        { name: 'get_weather', arguments: { city: 'Paris' } },
      ],
    } as ReturnType<Script>;
  }
  if (last.includes('unicode')) return { content: '東京の天気は 🌤️ です, "quoted" <b>ok</b> & done' };
  return defaultScript(input);
};

let sim: OllamaSim;
let client: OllamaClient;

beforeAll(async () => {
  sim = await startOllamaSim({ preload: ['llama3.2:3b', 'qwen3:8b', 'nomic-embed-text'], script });
  client = new OllamaClient({ host: sim.url });
});

afterAll(async () => {
  await client.close();
  await sim.close();
});

describe('OllamaClient against the simulator', () => {
  it('streams a chat answer chunk by chunk, with final() and timings', async () => {
    const stream = client.chat({ model: 'llama3.2:3b', messages: user('Why is the sky blue?') });
    const chunks: ChatResponse[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.slice(0, -1).every((chunk) => !chunk.done)).toBe(true);
    const final = await stream.final();
    expect(final.done).toBe(true);
    expect(final.done_reason).toBe('stop');
    expect(final.message.content).toBe(chunks.map((chunk) => chunk.message.content).join(''));
    expect(final.message.content).toContain('blue');
    const timings = stream.timings;
    expect(timings.chunks).toBe(chunks.length);
    expect(timings.firstTokenMs).toBeGreaterThan(0);
    expect(timings.firstContentMs).toBe(timings.firstTokenMs);
    expect(timings.totalMs).toBeGreaterThanOrEqual(timings.firstTokenMs!);
    expect(timings.evalCount).toBe(final.eval_count);
    expect(timings.evalMs).toBe(final.eval_duration! / 1e6);
    expect(timings.tokensPerSecond).toBeCloseTo((final.eval_count! / final.eval_duration!) * 1e9);
    expect(stream.host).toBe(sim.url);
  });

  it('gives the same answer streamed and with stream: false (deterministic request)', async () => {
    const request = { model: 'llama3.2:3b', messages: user('Tell me about tides'), options: { seed: 7 } };
    const streamed = await client.chat(request).final();
    const whole = await client.chat({ ...request, stream: false });
    expect(whole.message.content).toBe(streamed.message.content);
    expect(whole.done).toBe(true);
  });

  it('gathers thinking and tool calls from every chunk', async () => {
    const stream = client.chat({
      model: 'qwen3:8b',
      think: true,
      tools: [weatherTool],
      messages: user('Weather in two cities, please'),
    });
    const withCalls: ChatResponse[] = [];
    for await (const chunk of stream) if (chunk.message.tool_calls) withCalls.push(chunk);
    const final = await stream.final();
    expect(final.message.thinking).toBe('Two cities: call get_weather twice.');
    expect(final.message.tool_calls?.map((call) => [call.function.name, call.function.arguments])).toEqual([
      ['get_weather', { city: 'Tokyo' }],
      ['get_weather', { city: 'Paris' }],
    ]);
    expect(final.message.tool_calls?.[0]?.id).toMatch(/^call_[a-z0-9]{8}$/);
    expect(withCalls).toHaveLength(2);
    // No text in this answer: its first token (thinking or a tool call) came before the end.
    const { firstContentMs, firstTokenMs, totalMs } = stream.timings;
    expect(firstContentMs).toBeUndefined();
    expect(firstTokenMs).toBeGreaterThan(0);
    expect(firstTokenMs).toBeLessThanOrEqual(totalMs ?? Number.NaN);
  });

  it('keeps multi-byte text, escapes and quotes intact across chunks', async () => {
    const final = await client.chat({ model: 'llama3.2:3b', messages: user('unicode please') }).final();
    expect(final.message.content).toBe('東京の天気は 🌤️ です, "quoted" <b>ok</b> & done');
  });

  it('streams generate, gathering the response and the context', async () => {
    const stream = client.generate({ model: 'llama3.2:3b', prompt: 'Write about rivers' });
    const pieces: GenerateResponse[] = [];
    for await (const chunk of stream) pieces.push(chunk);
    const final = await stream.final();
    expect(final.response).toBe(pieces.map((chunk) => chunk.response).join(''));
    expect(final.response.length).toBeGreaterThan(10);
    expect(final.context?.length).toBeGreaterThan(0);
  });

  it('generates with stream: false', async () => {
    const answer = await client.generate({
      model: 'llama3.2:3b',
      prompt: 'Write about rivers',
      stream: false,
    });
    expect(answer.done).toBe(true);
    expect(answer.response.length).toBeGreaterThan(10);
    expect(answer.eval_count).toBeGreaterThan(0);
  });

  it('final() alone reads the whole stream', async () => {
    const final = await client.generate({ model: 'llama3.2:3b', prompt: 'hello' }).final();
    expect(final.done).toBe(true);
    expect(final.response.length).toBeGreaterThan(0);
  });

  it('a stream can be iterated only once', async () => {
    const stream = client.chat({ model: 'llama3.2:3b', messages: user('hi') });
    stream[Symbol.asyncIterator]();
    expect(() => stream[Symbol.asyncIterator]()).toThrow(TypeError);
    await stream.final();
  });

  it('embeds one input and several', async () => {
    const one = await client.embed({ model: 'nomic-embed-text', input: 'hello' });
    expect(one.embeddings).toHaveLength(1);
    expect(one.embeddings[0]).toHaveLength(768);
    const several = await client.embed({ model: 'nomic-embed-text', input: ['a', 'b', 'c'] });
    expect(several.embeddings).toHaveLength(3);
    expect(several.model).toBe('nomic-embed-text');
  });

  it('lists models (tags), loaded models (ps), a model (show) and the version', async () => {
    const tags = await client.tags();
    expect(tags.models.map((model) => model.name)).toContain('llama3.2:3b');
    const ps = await client.ps();
    expect(ps.models.map((model) => model.name)).toContain('qwen3:8b');
    const show = await client.show('qwen3:8b');
    expect(show.capabilities).toContain('thinking');
    expect((await client.show({ model: 'llama3.2:3b' })).details?.family).toBe('llama');
    expect((await client.version()).version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('warms a model up so the first turn does not pay the load, and an embedding model too', async () => {
    const cold = await startOllamaSim({ latency: { loadMs: 300 } });
    const coldClient = new OllamaClient({ host: cold.url });
    try {
      const warm = await coldClient.warmup('llama3.2:3b', { keepAlive: '10m' });
      expect(warm.model).toBe('llama3.2:3b');
      expect(cold.stats().loadedModels).toContain('llama3.2:3b');
      expect(cold.stats().modelLoads).toBe(1);
      const stream = coldClient.chat({ model: 'llama3.2:3b', messages: user('hi') });
      await stream.final();
      expect(cold.stats().modelLoads).toBe(1); // the turn found it loaded
      await coldClient.warmup('nomic-embed-text');
      expect(cold.stats().loadedModels).toContain('nomic-embed-text:latest');
      expect(cold.stats().modelLoads).toBe(2);
    } finally {
      await coldClient.close();
      await cold.close();
    }
  });

  it('sends the client and per-call headers', async () => {
    const status = JSON.stringify({ type: 'status', status: 418, message: 'teapot' });
    const error = await client.version({ headers: { 'x-ollama-sim-fault': status } }).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toMatchObject({ code: 'OLLAMA_HTTP_ERROR', status: 418 });
  });

  it('reports per-host state', async () => {
    const [host] = client.hosts();
    expect(host).toMatchObject({ url: sim.url, failures: 0, running: 0, down: false });
    expect(host!.requests).toBeGreaterThan(5);
    expect(host!.connected).toBeGreaterThan(0);
  });

  it('throws a TypeError for a request without a model, at the call', () => {
    expect(() => client.chat({ model: '' })).toThrow(
      new TypeError('Expected `model` of the chat request to be a non-empty string, got ""'),
    );
    expect(() => client.generate(null as never)).toThrow(TypeError);
    expect(() => client.embed({ input: 'x' } as never)).toThrow(TypeError);
    expect(() => client.chat({ model: 'm' }, { signal: 'no' as never })).toThrow(
      'Expected `signal` to be an AbortSignal',
    );
  });
});
