import { describe, expect, it } from 'vitest';
import { SimTokenizer } from '../src/tokenizer.js';
import { post, startSim } from './helpers.js';

const errorOf = (response: { status: number; contentType: string | null; text: string }) => ({
  status: response.status,
  contentType: response.contentType,
  body: JSON.parse(response.text),
});
const json = 'application/json; charset=utf-8';

describe("Ollama's error statuses and texts", () => {
  it.each([
    ['/api/chat', '', 400, 'missing request body'],
    ['/api/generate', '  ', 400, 'missing request body'],
    ['/api/chat', '{"model":', 400, 'unexpected EOF'],
    ['/api/chat', 'not json', 400, "invalid character 'o' in literal null (expecting 'u')"],
    [
      '/api/chat',
      '{"model":"llama3.2:3b","messages":"hi"}',
      400,
      'json: cannot unmarshal string into Go struct field ChatRequest.messages of type []api.Message',
    ],
    ['/api/chat', '{"messages":[]}', 400, 'model is required'],
    ['/api/generate', '{"prompt":"hi"}', 404, "model '' not found"],
    ['/api/generate', '{"model":"mistral","prompt":"hi"}', 404, "model 'mistral' not found"],
    ['/api/show', '{}', 400, 'model is required'],
    ['/api/show', '{"model":"mistral"}', 404, "model 'mistral' not found"],
    ['/api/embed', '{"model":"mistral","input":"x"}', 404, 'model "mistral" not found, try pulling it first'],
    ['/api/embed', '{"model":"nomic-embed-text","input":["a",1]}', 400, 'invalid input type'],
    ['/api/embed', '{"model":"nomic-embed-text","input":5}', 400, 'invalid input type'],
    [
      '/api/chat',
      '{"model":"llama3.2:3b","keep_alive":"3600","messages":[]}',
      400,
      'time: missing unit in duration "3600"',
    ],
    ['/api/chat', '{"model":"llama3.2:3b","keep_alive":true}', 400, "Unsupported type: 'bool'"],
    [
      '/api/chat',
      '{"model":"llama3.2:3b","think":true,"messages":[{"role":"user","content":"hi"}]}',
      400,
      '"llama3.2:3b" does not support thinking',
    ],
    [
      '/api/chat',
      '{"model":"nomic-embed-text","messages":[{"role":"user","content":"hi"}]}',
      400,
      '"nomic-embed-text" does not support generate',
    ],
    [
      '/api/generate',
      '{"model":"llama3.2:3b","prompt":"hi","options":{"temperature":"hot"}}',
      500,
      'option "temperature" must be of type float32',
    ],
    [
      '/api/generate',
      '{"model":"llama3.2:3b","prompt":"hi","options":{"stop":"x"}}',
      500,
      'option "stop" must be of type array',
    ],
  ])('%s %s -> %i %s', async (path, body, status, message) => {
    const sim = await startSim();
    expect(errorOf(await post(sim, path, body))).toEqual({
      status,
      contentType: json,
      body: { error: message },
    });
  });

  it('names the registry model when tools are not supported', async () => {
    const sim = await startSim({ models: [{ name: 'gemma3', capabilities: ['completion'] }] });
    const tools = [{ type: 'function', function: { name: 'f' } }];
    const response = await post(sim, '/api/chat', {
      model: 'gemma3',
      messages: [{ role: 'user', content: 'f' }],
      tools,
    });
    expect(errorOf(response).body).toEqual({
      error: 'registry.ollama.ai/library/gemma3:latest does not support tools',
    });
  });

  it('answers a body past maxBodyBytes with 413', async () => {
    const sim = await startSim({ maxBodyBytes: 100 });
    const response = await post(sim, '/api/generate', { model: 'llama3.2:3b', prompt: 'x'.repeat(200) });
    expect(errorOf(response)).toEqual({
      status: 413,
      contentType: json,
      body: { error: 'request body too large: more than 100 bytes' },
    });
    const small = await post(sim, '/api/generate', { model: 'llama3.2:3b', prompt: 'hi', stream: false });
    expect(small.status).toBe(200);
  });

  it('loads the model for an empty embed input and returns no embeddings', async () => {
    const sim = await startSim();
    const response = await post(sim, '/api/embed', { model: 'nomic-embed-text', input: [] });
    expect(JSON.parse(response.text)).toEqual({ model: 'nomic-embed-text', embeddings: [] });
    expect(sim.stats().loadedModels).toEqual(['nomic-embed-text:latest']);
    const legacy = await post(sim, '/api/embeddings', { model: 'nomic-embed-text', prompt: '' });
    expect(JSON.parse(legacy.text)).toEqual({ embedding: [] });
  });

  it('embeds deterministically with float32 values, unit norm, and the asked dimensions', async () => {
    const sim = await startSim();
    const body = {
      model: 'nomic-embed-text',
      input: ['reset my password', 'password reset steps', 'bananas'],
    };
    const first = JSON.parse((await post(sim, '/api/embed', body)).text);
    const second = JSON.parse((await post(sim, '/api/embed', body)).text);
    expect(first.embeddings).toEqual(second.embeddings);
    expect(first).toMatchObject({
      model: 'nomic-embed-text',
      prompt_eval_count: body.input.reduce((sum, text) => sum + new SimTokenizer({}).encode(text).length, 0),
      total_duration: expect.any(Number),
      load_duration: expect.any(Number),
    });
    const [a, b, c] = first.embeddings as number[][];
    const dot = (x: number[], y: number[]) =>
      x.reduce((sum, value, index) => sum + value * (y[index] ?? 0), 0);
    expect(dot(a!, a!)).toBeCloseTo(1, 5);
    expect(dot(a!, b!)).toBeGreaterThan(dot(a!, c!));
    for (const value of a!) expect(Number(value.toPrecision(9))).toBe(value);
    const short = JSON.parse((await post(sim, '/api/embed', { ...body, input: 'x', dimensions: 64 })).text);
    expect(short.embeddings[0]).toHaveLength(64);
    expect(dot(short.embeddings[0], short.embeddings[0])).toBeCloseTo(1, 5);
    const legacy = JSON.parse(
      (await post(sim, '/api/embeddings', { model: 'nomic-embed-text', prompt: 'reset my password' })).text,
    );
    expect(legacy.embedding).toEqual(a!.map(Math.fround));
  });
});
