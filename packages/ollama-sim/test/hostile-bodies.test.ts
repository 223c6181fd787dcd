/** Keys a JavaScript object has by inheritance are only keys in a body: ignored, never a 500. */
import { describe, expect, it } from 'vitest';
import { last, lines, post, startSim } from './helpers.js';

const KEYS = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'];

const hostile = (value: unknown) => Object.fromEntries(KEYS.map((key) => [key, value]));

describe('bodies with unknown and inherited keys', () => {
  it('ignores unknown keys anywhere in a chat body, as Ollama does', async () => {
    const sim = await startSim();
    for (const value of [1, 'x', {}, [], null]) {
      const body = JSON.stringify({
        ...hostile(value),
        model: 'llama3.2:3b',
        stream: false,
        options: { ...hostile(value), temperature: 0 },
        messages: [{ ...hostile(value), role: 'user', content: 'Weather in Paris?' }],
        tools: [
          {
            ...hostile(value),
            type: 'function',
            function: {
              ...hostile(value),
              name: 'get_weather',
              parameters: {
                type: 'object',
                ...hostile(value),
                properties: { ...hostile({ type: 'string' }), city: { type: 'string' } },
              },
            },
          },
        ],
        somethingNew: { nested: true },
      });
      const response = await post(sim, '/api/chat', body);
      expect(response.status).toBe(200);
      const call = JSON.parse(response.text).message.tool_calls[0].function;
      expect(call.name).toBe('get_weather');
      expect(Object.getPrototypeOf(call.arguments)).toBe(Object.prototype);
    }
  });

  it('answers generate, embed and show bodies with such keys, and a tool named like them', async () => {
    const sim = await startSim();
    const generate = await post(sim, '/api/generate', { ...hostile({}), model: 'llama3.2:3b', prompt: 'hi' });
    expect(generate.status).toBe(200);
    expect(last(lines(generate.text)).done).toBe(true);
    const embed = await post(sim, '/api/embed', { ...hostile(1), model: 'nomic-embed-text', input: 'hi' });
    expect(embed.status).toBe(200);
    const show = await post(sim, '/api/show', { ...hostile('x'), model: 'llama3.2:3b' });
    expect(show.status).toBe(200);
    const named = await post(sim, '/api/chat', {
      model: 'llama3.2:3b',
      stream: false,
      messages: [{ role: 'user', content: 'call constructor' }],
      tools: [
        {
          type: 'function',
          function: { name: 'constructor', parameters: { type: 'object', properties: {} } },
        },
        {},
      ],
    });
    expect(named.status).toBe(200);
  });

  it('keeps a literal "__proto__" key a key: it never becomes the model name', async () => {
    const sim = await startSim();
    const response = await post(
      sim,
      '/api/chat',
      '{"__proto__":{"model":"llama3.2:3b"},"messages":[{"role":"user","content":"hi"}]}',
    );
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text)).toEqual({ error: 'model is required' });
  });
});
