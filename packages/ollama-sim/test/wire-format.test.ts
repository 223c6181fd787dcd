import { describe, expect, it } from 'vitest';
import { chatTemplate } from '../src/template/templates.js';
import { chatRequest as chat, get, last, lines, openStream, post, startSim } from './helpers.js';

const RFC3339_NANO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/;
const llama = chatTemplate('llama3.2').tokenizer;
/** Token pieces of an ASCII text, as llama3.2 streams them. */
const pieces = (text: string): string[] => llama.pieces(llama.encode(text));

const METRICS = [
  'total_duration',
  'load_duration',
  'prompt_eval_count',
  'prompt_eval_duration',
  'eval_count',
  'eval_duration',
];

describe('wire format', () => {
  it('answers / and HEAD /, 404 for unknown routes and 405 for a known one asked with another method, like Ollama', async () => {
    const sim = await startSim();
    expect(await get(sim, '/')).toEqual({
      status: 200,
      contentType: 'text/plain; charset=utf-8',
      text: 'Ollama is running',
    });
    expect(await get(sim, '/', 'HEAD')).toEqual({
      status: 200,
      contentType: 'text/plain; charset=utf-8',
      text: '',
    });
    expect(await get(sim, '/api/nothing')).toEqual({
      status: 404,
      contentType: 'text/plain',
      text: '404 page not found',
    });
    // gin's HandleMethodNotAllowed, as Ollama sets it.
    expect(await get(sim, '/api/chat')).toEqual({
      status: 405,
      contentType: 'text/plain',
      text: '405 method not allowed',
    });
    expect(sim.stats().requests).toEqual({ '/': 2, other: 1, '/api/chat': 1 });
  });

  it('streams NDJSON: one object per line, one token per chunk, then a final chunk with metrics', async () => {
    const sim = await startSim();
    const response = await post(
      sim,
      '/api/chat',
      chat('Why is the sky blue?', { options: { temperature: 0 } }),
    );
    expect(response.status).toBe(200);
    expect(response.contentType).toBe('application/x-ndjson');
    const chunks = lines(response.text);
    const final = last(chunks);
    const tokens = chunks.slice(0, -1);
    expect(tokens).toHaveLength(24);
    for (const chunk of tokens) {
      expect(Object.keys(chunk)).toEqual(['model', 'created_at', 'message', 'done']);
      expect(chunk).toMatchObject({ model: 'llama3.2:3b', done: false, message: { role: 'assistant' } });
      expect(chunk.created_at).toMatch(RFC3339_NANO);
    }
    const content = tokens.map((chunk) => (chunk.message as { content: string }).content);
    expect(content).toEqual(pieces(content.join('')));
    expect(content.join('')).toMatch(/^Simulated answer about blue \(draw \d{4}\)\..*\.$/);
    expect(Object.keys(final)).toEqual(['model', 'created_at', 'message', 'done', 'done_reason', ...METRICS]);
    expect(final).toMatchObject({
      message: { role: 'assistant', content: '' },
      done: true,
      done_reason: 'stop',
      eval_count: 24,
    });
    for (const key of METRICS) expect(Number.isInteger(final[key]) && (final[key] as number) > 0).toBe(true);

    const whole = await post(
      sim,
      '/api/chat',
      chat('Why is the sky blue?', { options: { temperature: 0 }, stream: false }),
    );
    expect(whole.contentType).toBe('application/json; charset=utf-8');
    expect(whole.text).not.toContain('\n');
    expect(JSON.parse(whole.text)).toMatchObject({
      message: { role: 'assistant', content: content.join('') },
      done: true,
    });
  });

  it('streams generate with context, and without it when raw', async () => {
    const sim = await startSim();
    const streamed = lines(
      (await post(sim, '/api/generate', { model: 'llama3.2:3b', prompt: 'Hello there' })).text,
    );
    expect(streamed[0]).toEqual({
      model: 'llama3.2:3b',
      created_at: expect.any(String),
      response: expect.any(String),
      done: false,
    });
    expect(last(streamed)).toMatchObject({
      response: '',
      done: true,
      done_reason: 'stop',
      context: expect.any(Array),
    });
    const raw = JSON.parse(
      (await post(sim, '/api/generate', { model: 'llama3.2:3b', prompt: 'Hi', raw: true, stream: false }))
        .text,
    );
    expect(raw.context).toBeUndefined();
    // <|begin_of_text|> and "Hi": the tokenizer adds BOS to a raw prompt too.
    expect(raw.prompt_eval_count).toBe(2);
    const final = last(streamed);
    const again = JSON.parse(
      (
        await post(sim, '/api/generate', {
          model: 'llama3.2:3b',
          prompt: 'More',
          context: final.context,
          _debug_render_only: true,
        })
      ).text,
    );
    expect(again._debug_info.rendered_template).toMatch(
      /^<\|begin_of_text\|><\|start_header_id\|>system.*Hello there.*More<\|eot_id\|>/s,
    );
  });

  it('answers _debug_render_only with the rendered prompt, after loading the model, generating nothing', async () => {
    const sim = await startSim();
    const response = await post(sim, '/api/chat', chat('Hi', { _debug_render_only: true }));
    expect(response.contentType).toBe('application/json; charset=utf-8');
    const body = JSON.parse(response.text);
    expect(Object.keys(body)).toEqual(['model', 'created_at', 'message', 'done', '_debug_info']);
    expect(body).toMatchObject({ message: { role: '', content: '' }, done: false });
    expect(body._debug_info).toEqual({
      rendered_template:
        '<|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\n\n<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n',
    });
    expect(sim.stats()).toMatchObject({ modelLoads: 1, tokensGenerated: 0, promptTokensEvaluated: 0 });
    const generated = JSON.parse(
      (
        await post(sim, '/api/generate', {
          model: 'qwen3:8b',
          prompt: 'Hi',
          images: ['aGk='],
          _debug_render_only: true,
        })
      ).text,
    );
    expect(generated._debug_info).toEqual({
      rendered_template: '<|im_start|>user\n[img-0]Hi /think<|im_end|>\n<|im_start|>assistant\n',
      image_count: 1,
    });
  });

  it('flushes each line as it is generated, before the stream ends', async () => {
    const sim = await startSim({ latency: { tokensPerSecond: 40 } });
    const stream = openStream(sim, '/api/chat', chat('Tell me a story'));
    let ended = false;
    void stream.done.then(() => {
      ended = true;
    });
    const first = JSON.parse(await stream.firstLine);
    expect(first.done).toBe(false);
    expect(ended).toBe(false);
    await stream.done;
    expect(stream.received).toHaveLength(25);
  });

  it('stops at num_predict with done_reason length, and at a stop sequence', async () => {
    const sim = await startSim();
    const limited = JSON.parse(
      (
        await post(
          sim,
          '/api/chat',
          chat('Why is the sky blue?', { stream: false, options: { num_predict: 3 } }),
        )
      ).text,
    );
    expect(limited).toMatchObject({
      done_reason: 'length',
      eval_count: 3,
      message: { content: 'Simulated answer' },
    });
    const stopped = JSON.parse(
      (
        await post(sim, '/api/generate', {
          model: 'llama3.2:3b',
          prompt: 'Why is the sky blue?',
          stream: false,
          options: { stop: [' about'] },
        })
      ).text,
    );
    expect(stopped).toMatchObject({ done_reason: 'stop', response: 'Simulated answer' });
  });

  it('escapes <, > and & the way Go does', async () => {
    const sim = await startSim({ script: () => ({ content: '<b>Tom & Jerry</b>' }) });
    const response = await post(sim, '/api/chat', chat('hi'));
    const streamed = lines(response.text).map((chunk) => (chunk.message as { content: string }).content);
    expect(streamed.join('')).toBe('<b>Tom & Jerry</b>');
    expect(response.text).toContain('\\u003c');
    expect(response.text).toContain('\\u003e');
    expect(response.text).toContain('\\u0026');
    expect(response.text).not.toMatch(/[<>&]/);
    const whole = await post(sim, '/api/chat', chat('hi', { stream: false }));
    expect(whole.text).toContain('\\u003cb\\u003eTom \\u0026 Jerry\\u003c/b\\u003e');
  });

  it('streams thinking first on a thinking model, by default as Ollama does, and answers JSON for format', async () => {
    const sim = await startSim();
    for (const think of [true, undefined]) {
      const chunks = lines(
        (
          await post(sim, '/api/chat', {
            model: 'qwen3:8b',
            messages: [{ role: 'user', content: 'Explain rainbows' }],
            ...(think === undefined ? {} : { think }),
          })
        ).text,
      );
      const firstContent = chunks.findIndex((chunk) => (chunk.message as { content: string }).content !== '');
      const thinking = chunks
        .slice(0, firstContent)
        .map((chunk) => (chunk.message as { thinking?: string }).thinking);
      expect(thinking.join('')).toMatch(
        /^The user asks about explain, rainbows\. This thinking is simulated\./,
      );
      // The think tags and the whitespace around them are decoded (counted) but never sent.
      expect(last(chunks).eval_count).toBeGreaterThan(chunks.length - 1);
    }
    const off = lines(
      (
        await post(sim, '/api/chat', {
          model: 'qwen3:8b',
          messages: [{ role: 'user', content: 'Hi' }],
          think: false,
        })
      ).text,
    );
    expect(off.every((chunk) => (chunk.message as { thinking?: string }).thinking === undefined)).toBe(true);
    const json = JSON.parse(
      (await post(sim, '/api/chat', chat('Sky color?', { format: 'json', stream: false }))).text,
    );
    expect(JSON.parse(json.message.content)).toEqual({ answer: 'Simulated answer about color.' });
  });

  it('calls several named tools in one round, each call in its own chunk after its tokens', async () => {
    const sim = await startSim();
    const tool = (name: string) => ({
      type: 'function',
      function: {
        name,
        parameters: { type: 'object', required: ['city'], properties: { city: { type: 'string' } } },
      },
    });
    const response = await post(
      sim,
      '/api/chat',
      chat('Weather in Paris and the time in Tokyo?', { tools: [tool('get_weather'), tool('get_time')] }),
    );
    const chunks = lines(response.text);
    expect(chunks).toHaveLength(3);
    const calls = chunks.slice(0, 2).map((chunk) => chunk.message);
    expect(calls).toEqual([
      {
        role: 'assistant',
        content: '',
        tool_calls: [
          {
            id: expect.stringMatching(/^call_[a-z0-9]{8}$/),
            function: { index: 0, name: 'get_weather', arguments: { city: 'Paris' } },
          },
        ],
      },
      {
        role: 'assistant',
        content: '',
        tool_calls: [
          {
            id: expect.stringMatching(/^call_[a-z0-9]{8}$/),
            function: { index: 1, name: 'get_time', arguments: { city: 'Tokyo' } },
          },
        ],
      },
    ]);
    // What llama3.2 writes: one JSON object per call, a line apart.
    const written = [
      '{"name": "get_weather", "parameters": {"city": "Paris"}}',
      '\n',
      '{"name": "get_time", "parameters": {"city": "Tokyo"}}',
    ];
    expect(last(chunks).eval_count).toBe(written.reduce((sum, part) => sum + llama.encode(part).length, 0));
  });

  it('gives identical answers for temperature 0 or a seed, and different ones otherwise', async () => {
    const sim = await startSim();
    const ask = async (options?: Record<string, unknown>) =>
      JSON.parse(
        (
          await post(
            sim,
            '/api/chat',
            chat('Why is the sky blue?', { stream: false, ...(options ? { options } : {}) }),
          )
        ).text,
      ).message.content;
    expect(await ask({ temperature: 0 })).toBe(await ask({ temperature: 0 }));
    expect(await ask({ seed: 42, temperature: 1 })).toBe(await ask({ seed: 42, temperature: 1 }));
    expect(await ask({ seed: 42 })).not.toBe(await ask({ seed: 43 }));
    expect(await ask()).not.toBe(await ask());
  });
});

describe('load and unload requests', () => {
  it('loads with an empty prompt or no messages, and unloads with keep_alive 0', async () => {
    const sim = await startSim();
    const loaded = await post(sim, '/api/generate', { model: 'llama3.2:3b' });
    expect(loaded.contentType).toBe('application/json; charset=utf-8');
    expect(JSON.parse(loaded.text)).toEqual({
      model: 'llama3.2:3b',
      created_at: expect.stringMatching(RFC3339_NANO),
      response: '',
      done: true,
      done_reason: 'load',
    });
    expect(sim.stats().loadedModels).toEqual(['llama3.2:3b']);
    const chatLoad = JSON.parse((await post(sim, '/api/chat', { model: 'qwen3:8b', messages: [] })).text);
    expect(chatLoad).toEqual({
      model: 'qwen3:8b',
      created_at: expect.any(String),
      message: { role: 'assistant', content: '' },
      done: true,
      done_reason: 'load',
    });
    const unloaded = JSON.parse((await post(sim, '/api/chat', { model: 'qwen3:8b', keep_alive: 0 })).text);
    expect(unloaded.done_reason).toBe('unload');
    expect(sim.stats().loadedModels).toEqual(['llama3.2:3b']);
    expect(
      JSON.parse((await post(sim, '/api/generate', { model: 'llama3.2:3b', keep_alive: '0s' })).text)
        .done_reason,
    ).toBe('unload');
    expect(JSON.parse((await get(sim, '/api/ps')).text)).toEqual({ models: [] });
    expect(sim.stats().modelLoads).toBe(2);
  });
});
