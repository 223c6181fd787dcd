import { describe, expect, it } from 'vitest';
import { get, post, startSim } from './helpers.js';

type Json = Record<string, unknown>;

/** The data of every SSE event, checking the framing: `data: <payload>` and a blank line each. */
function events(text: string): string[] {
  expect(text.endsWith('\n\n')).toBe(true);
  return text
    .slice(0, -2)
    .split('\n\n')
    .map((frame) => {
      expect(frame.startsWith('data: ')).toBe(true);
      return frame.slice(6);
    });
}

const chat = (extra: Json = {}) => ({
  model: 'llama3.2:3b',
  messages: [{ role: 'user', content: 'Why is the sky blue?' }],
  temperature: 0,
  ...extra,
});

describe('/v1/chat/completions', () => {
  it('streams chat.completion.chunk events as Ollama v0.32.6+: role once, a finish chunk, usage, [DONE]', async () => {
    const sim = await startSim({ profile: 'fast' });
    const answer = await post(
      sim,
      '/v1/chat/completions',
      chat({ stream: true, stream_options: { include_usage: true } }),
    );
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe('text/event-stream');
    const data = events(answer.text);
    expect(data.at(-1)).toBe('[DONE]');
    const chunks = data.slice(0, -1).map((text) => JSON.parse(text) as Json);
    const first = chunks[0] as { id: string; choices: Array<{ delta: Json }> };
    expect(first).toMatchObject({
      object: 'chat.completion.chunk',
      model: 'llama3.2:3b',
      system_fingerprint: 'fp_ollama',
    });
    expect(first.id).toMatch(/^chatcmpl-\d{1,3}$/);
    expect(first.choices[0]!.delta.role).toBe('assistant');
    expect(
      chunks
        .slice(1, -2)
        .every((chunk) => !('role' in (chunk as { choices: Array<{ delta: Json }> }).choices[0]!.delta)),
    ).toBe(true);
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
    expect(new Set(chunks.map((chunk) => chunk.created)).size).toBe(1);
    expect(chunks.at(-2)).toMatchObject({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
    const usage = chunks.at(-1) as {
      choices: unknown[];
      usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
    };
    expect(usage.choices).toEqual([]);
    expect(usage.usage.total_tokens).toBe(usage.usage.prompt_tokens + usage.usage.completion_tokens);
    expect(usage.usage.completion_tokens).toBeGreaterThan(0);
    // The same answer as the native route, for the same options.
    const text = chunks
      .map(
        (chunk) =>
          (chunk as { choices: Array<{ delta: { content?: string } }> }).choices[0]?.delta.content ?? '',
      )
      .join('');
    const native = JSON.parse(
      (await post(sim, '/api/chat', { ...chat(), options: { temperature: 0, top_p: 1 }, stream: false }))
        .text,
    );
    expect(text).toBe(native.message.content);
  });

  it('answers one chat.completion object, and tool calls with string arguments and finish_reason tool_calls', async () => {
    const sim = await startSim({ profile: 'fast' });
    const whole = await post(sim, '/v1/chat/completions', chat());
    expect(whole.contentType).toBe('application/json');
    expect(whole.text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(whole.text)).toMatchObject({
      object: 'chat.completion',
      choices: [
        { index: 0, message: { role: 'assistant', content: expect.any(String) }, finish_reason: 'stop' },
      ],
      usage: { prompt_tokens: expect.any(Number) },
    });
    const tools = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          parameters: { type: 'object', properties: { city: { type: 'string' } } },
        },
      },
    ];
    const request = chat({ messages: [{ role: 'user', content: 'What is the weather in Paris?' }], tools });
    const called = JSON.parse((await post(sim, '/v1/chat/completions', request)).text);
    expect(called.choices[0]).toMatchObject({
      message: {
        content: '',
        tool_calls: [
          { index: 0, type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
        ],
      },
      finish_reason: 'tool_calls',
    });
    expect(called.choices[0].message.tool_calls[0].id).toMatch(/^call_[a-z0-9]{8}$/);
    const streamed = events((await post(sim, '/v1/chat/completions', { ...request, stream: true })).text);
    const chunks = streamed.slice(0, -1).map((text) => JSON.parse(text));
    expect(
      chunks.some((chunk) => chunk.choices[0]?.delta.tool_calls?.[0]?.function.name === 'get_weather'),
    ).toBe(true);
    expect(chunks.at(-1).choices[0].finish_reason).toBe('tool_calls');
    // A tool result with the call's id goes back as Ollama reads it.
    const followUp = await post(sim, '/v1/chat/completions', {
      ...request,
      messages: [
        ...request.messages,
        { role: 'assistant', content: null, tool_calls: called.choices[0].message.tool_calls },
        { role: 'tool', tool_call_id: called.choices[0].message.tool_calls[0].id, content: '18 degrees' },
      ],
    });
    expect(followUp.status).toBe(200);
  });

  it("answers errors in OpenAI's shape with Ollama's texts and statuses", async () => {
    const sim = await startSim({ profile: 'fast' });
    const cases: Array<[Json | string, number, string, string]> = [
      [chat({ model: 'nope:1b' }), 404, "model 'nope:1b' not found", 'not_found_error'],
      [chat({ messages: [] }), 400, "[] is too short - 'messages'", 'invalid_request_error'],
      [chat({ reasoning_effort: 'huge' }), 400, 'invalid reasoning value: "huge"', 'invalid_request_error'],
      [
        chat({
          messages: [
            { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] },
          ],
        }),
        400,
        'image URLs are not currently supported',
        'invalid_request_error',
      ],
      [
        chat({
          messages: [
            { role: 'assistant', content: null, tool_calls: [{ function: { name: 'f', arguments: '{' } }] },
          ],
        }),
        400,
        'invalid tool call arguments',
        'invalid_request_error',
      ],
    ];
    for (const [body, status, message, type] of cases) {
      const answer = await post(sim, '/v1/chat/completions', body);
      expect(answer.status, message).toBe(status);
      expect(answer.contentType).toBe('application/json');
      const error = JSON.parse(answer.text).error;
      expect(error).toMatchObject({ type, param: null, code: null });
      expect(error.message).toContain(message);
    }
  });
});

describe('/v1/completions, /v1/embeddings, /v1/models', () => {
  it('streams text_completion chunks with a zero usage on each when include_usage, then usage and [DONE]', async () => {
    const sim = await startSim({ profile: 'fast' });
    const body = {
      model: 'llama3.2:3b',
      prompt: 'Say hello',
      temperature: 0,
      stream: true,
      stream_options: { include_usage: true },
    };
    const data = events((await post(sim, '/v1/completions', body)).text);
    expect(data.at(-1)).toBe('[DONE]');
    const chunks = data.slice(0, -1).map((text) => JSON.parse(text));
    expect(chunks[0]).toMatchObject({
      object: 'text_completion',
      choices: [{ index: 0, finish_reason: null }],
    });
    expect(chunks[0].id).toMatch(/^cmpl-\d{1,3}$/);
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage.total_tokens === 0)).toBe(true);
    expect(chunks.at(-2).choices[0].finish_reason).toBe('stop');
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { completion_tokens: expect.any(Number) } });
    const whole = JSON.parse((await post(sim, '/v1/completions', { ...body, stream: false })).text);
    expect(whole).toMatchObject({
      object: 'text_completion',
      choices: [{ text: expect.any(String), finish_reason: 'stop' }],
    });
  });

  it('embeds as floats or base64 of the same float32 values', async () => {
    const sim = await startSim({ profile: 'fast' });
    const floats = JSON.parse(
      (await post(sim, '/v1/embeddings', { model: 'nomic-embed-text', input: ['a', 'b'] })).text,
    );
    expect(floats).toMatchObject({
      object: 'list',
      model: 'nomic-embed-text',
      usage: { prompt_tokens: expect.any(Number) },
    });
    expect(floats.data.map((item: Json) => item.index)).toEqual([0, 1]);
    expect(floats.data[0].embedding).toHaveLength(768);
    const native = JSON.parse(
      (await post(sim, '/api/embed', { model: 'nomic-embed-text', input: ['a', 'b'] })).text,
    );
    expect(floats.data[0].embedding).toEqual(native.embeddings[0]);
    const encoded = JSON.parse(
      (
        await post(sim, '/v1/embeddings', {
          model: 'nomic-embed-text',
          input: 'a',
          encoding_format: 'base64',
        })
      ).text,
    );
    const decoded = new Float32Array(Buffer.from(encoded.data[0].embedding, 'base64').buffer.slice(0));
    expect(Array.from(decoded).map((value) => Math.fround(value))).toEqual(
      native.embeddings[0].map(Math.fround),
    );
    const bad = await post(sim, '/v1/embeddings', {
      model: 'nomic-embed-text',
      input: 'a',
      encoding_format: 'hex',
    });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).error.message).toBe(
      "Invalid value for 'encoding_format' = hex. Supported values: ['float', 'base64'].",
    );
  });

  it('lists the models, retrieves one, 404s an unknown one, and 405s a HEAD', async () => {
    const sim = await startSim({ profile: 'fast' });
    const list = JSON.parse((await get(sim, '/v1/models')).text);
    expect(list.object).toBe('list');
    expect(list.data).toContainEqual({
      id: 'llama3.2:3b',
      object: 'model',
      created: expect.any(Number),
      owned_by: 'library',
    });
    const one = await get(sim, '/v1/models/llama3.2:3b');
    expect(JSON.parse(one.text)).toMatchObject({ id: 'llama3.2:3b', object: 'model' });
    const missing = await get(sim, '/v1/models/nope');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text).error).toMatchObject({
      message: "model 'nope' not found",
      type: 'not_found_error',
    });
    expect((await get(sim, '/v1/models/hf.co/u/r')).text).toBe('404 page not found');
    expect((await get(sim, '/v1/models', 'HEAD')).status).toBe(405);
  });
});
