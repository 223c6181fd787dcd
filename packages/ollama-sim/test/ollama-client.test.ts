import { Ollama } from 'ollama';
import { describe, expect, it } from 'vitest';
import { chatTemplate } from '../src/template/templates.js';
import { startSim } from './helpers.js';

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: {
      type: 'object',
      required: ['city'],
      properties: { city: { type: 'string', description: 'City name' } },
    },
  },
};

describe('the official ollama client against the simulator', () => {
  it('streams a chat with a tool call, then the answer from the tool result', async () => {
    const sim = await startSim();
    const ollama = new Ollama({ host: sim.url });
    const messages = [{ role: 'user', content: 'What is the weather in Tokyo?' }];
    const calls = [];
    for await (const part of await ollama.chat({
      model: 'llama3.2:3b',
      messages,
      tools: [weatherTool],
      stream: true,
    })) {
      calls.push(...(part.message.tool_calls ?? []));
      if (part.done) expect(part.done_reason).toBe('stop');
    }
    expect(calls).toEqual([
      {
        id: expect.stringMatching(/^call_[a-z0-9]{8}$/),
        function: { index: 0, name: 'get_weather', arguments: { city: 'Tokyo' } },
      },
    ]);

    let answer = '';
    const followUp = [
      ...messages,
      { role: 'assistant', content: '', tool_calls: calls },
      { role: 'tool', content: '{"temperature_c":21}', tool_name: 'get_weather' },
    ];
    for await (const part of await ollama.chat({
      model: 'llama3.2:3b',
      messages: followUp,
      tools: [weatherTool],
      stream: true,
    })) {
      answer += part.message.content;
    }
    expect(answer).toBe('get_weather returned temperature_c 21.');
  });

  it('generates, embeds and lists tags, ps, show and version', async () => {
    const sim = await startSim();
    const ollama = new Ollama({ host: sim.url });

    const generated = await ollama.generate({ model: 'llama3.2:3b', prompt: 'Why is the sky blue?' });
    expect(generated.response).toMatch(/^Simulated answer about blue \(draw \d{4}\)\./);
    expect(generated.done_reason).toBe('stop');
    expect(generated.eval_count).toBe(24);
    expect(chatTemplate('llama3.2').tokenizer.encode(generated.response ?? '')).toHaveLength(24);

    const embedded = await ollama.embed({ model: 'nomic-embed-text', input: ['first text', 'second text'] });
    expect(embedded.embeddings).toHaveLength(2);
    expect(embedded.embeddings[0]).toHaveLength(768);

    const tags = await ollama.list();
    expect(tags.models.map((model) => model.name)).toEqual([
      'llama3.2:3b',
      'qwen3:8b',
      'nomic-embed-text:latest',
    ]);

    const ps = await ollama.ps();
    expect(ps.models.map((model) => model.name).sort()).toEqual(['llama3.2:3b', 'nomic-embed-text:latest']);
    expect(ps.models[0]).toMatchObject({ size_vram: expect.any(Number), context_length: 4096 });

    const show = await ollama.show({ model: 'qwen3:8b' });
    expect(show.capabilities).toEqual(['completion', 'tools', 'thinking']);
    expect(show.details.family).toBe('qwen3');

    const version = await fetch(`${sim.url}/api/version`).then((response) => response.json());
    expect(version).toEqual({ version: '0.33.0' });
  });

  it('gets a ResponseError with status 404 for an unknown model', async () => {
    const sim = await startSim();
    const ollama = new Ollama({ host: sim.url });
    const error = await ollama
      .chat({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      name: 'ResponseError',
      status_code: 404,
      error: "model 'no-such-model' not found",
    });
  });
});
