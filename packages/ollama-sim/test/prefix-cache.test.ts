/**
 * The per-slot prefix cache works on the tokens each model's template renders: what it keeps
 * from one call to the next is exactly what that template keeps stable.
 */
import { describe, expect, it } from 'vitest';
import type { OllamaSim } from '../src/index.js';
import { chatTemplate } from '../src/template/templates.js';
import { post, startSim } from './helpers.js';

const weather = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Get the current weather for a city',
    parameters: {
      type: 'object',
      required: ['city'],
      properties: { city: { type: 'string', description: 'City' } },
    },
  },
};
const system = { role: 'system', content: 'You are a careful assistant. Answer briefly.' };

type Message = Record<string, unknown>;

async function chat(sim: OllamaSim, model: string, messages: Message[], extra: Message = {}) {
  const response = await post(sim, '/api/chat', {
    model,
    messages,
    tools: [weather],
    stream: false,
    ...extra,
  });
  expect(response.status).toBe(200);
  return JSON.parse(response.text) as {
    message: Message;
    prompt_eval_count: number;
    _debug_info?: { rendered_template: string };
  };
}

/** What Ollama renders for the request (`_debug_render_only`), as the model's token ids. */
async function rendered(sim: OllamaSim, model: string, messages: Message[], tools: unknown[] = [weather]) {
  const body = await chat(sim, model, messages, { _debug_render_only: true, tools });
  const text = body._debug_info?.rendered_template ?? '';
  const tokenizer = chatTemplate(model.startsWith('qwen3') ? 'qwen3' : 'llama3.2').tokenizer;
  return { text, ids: tokenizer.encodePrompt(text), tokenizer };
}

/** Sends `messages` and returns how many prompt tokens the slot's cache served. */
async function cachedFor(sim: OllamaSim, model: string, messages: Message[]) {
  sim.resetStats();
  const body = await chat(sim, model, messages);
  const { promptTokensCached, promptTokensEvaluated } = sim.stats();
  expect(body.prompt_eval_count).toBe(promptTokensCached + promptTokensEvaluated);
  return { cached: promptTokensCached, message: body.message };
}

describe('prefix cache with llama3.2 (tools in the last user message)', () => {
  const model = 'llama3.2:3b';
  const user = { role: 'user', content: 'What is the weather in Paris?' };

  it('call 1 -> call 2 of a tool turn shares only the prefix up to the user message', async () => {
    const sim = await startSim();
    const first = await cachedFor(sim, model, [system, user]);
    expect(first.message.tool_calls).toHaveLength(1);
    const second = [
      system,
      user,
      first.message,
      { role: 'tool', content: '{"temperature":21}', tool_name: 'get_weather' },
    ];
    const { ids, tokenizer, text } = await rendered(sim, model, second);
    expect(text).not.toContain('Given the following functions');
    const { cached } = await cachedFor(sim, model, second);
    const shared = tokenizer.decode(ids.slice(0, cached));
    expect(
      shared.startsWith(`<|begin_of_text|>${text.slice(0, text.indexOf('<|start_header_id|>user'))}`),
    ).toBe(true);
    expect(shared).toMatch(/<\|start_header_id\|>user<\|end_header_id\|>(\n\n)?$/);
    expect(cached).toBeLessThan(ids.length);
  });

  it('turn -> turn reuses the whole previous call and its answer', async () => {
    const sim = await startSim();
    const first = await cachedFor(sim, model, [system, user]);
    const toolTurn = [
      system,
      user,
      first.message,
      { role: 'tool', content: '{"temperature":21}', tool_name: 'get_weather' },
    ];
    const previous = await rendered(sim, model, toolTurn);
    const second = await cachedFor(sim, model, toolTurn);
    const next = [...toolTurn, second.message, { role: 'user', content: 'And in Rome?' }];
    const { cached } = await cachedFor(sim, model, next);
    expect(cached).toBeGreaterThanOrEqual(previous.ids.length);
  });
});

describe('prefix cache with qwen3 (tools in the system block, /think on the last user message)', () => {
  const model = 'qwen3:8b';
  const user = { role: 'user', content: 'What is the weather in Paris?' };

  it('call 1 is a full prefix of call 2, up to the model output', async () => {
    const sim = await startSim();
    const call1 = await rendered(sim, model, [system, user]);
    expect(call1.text).toContain('</tools>');
    expect(call1.text).toContain('What is the weather in Paris? /think<|im_end|>');
    const first = await cachedFor(sim, model, [system, user]);
    expect(first.message.thinking).toEqual(expect.any(String));
    const second = [
      system,
      user,
      first.message,
      { role: 'tool', content: '{"temperature":21}', tool_name: 'get_weather' },
    ];
    const call2 = await rendered(sim, model, second);
    expect(call2.text.startsWith(call1.text)).toBe(true);
    const { cached } = await cachedFor(sim, model, second);
    expect(cached).toBeGreaterThanOrEqual(call1.ids.length);
    // The re-rendered thinking (`<think>{thinking}</think>`) is not what the model wrote (`<think>\n…`).
    expect(call2.tokenizer.decode(call2.ids.slice(0, cached))).toBe(`${call1.text}<think>`);
  });

  it('turn -> turn diverges where the previous user message loses /think', async () => {
    const sim = await startSim();
    const first = await cachedFor(sim, model, [system, user]);
    const toolTurn = [
      system,
      user,
      first.message,
      { role: 'tool', content: '{"temperature":21}', tool_name: 'get_weather' },
    ];
    const second = await cachedFor(sim, model, toolTurn);
    const next = [...toolTurn, second.message, { role: 'user', content: 'And in Rome?' }];
    const turn2 = await rendered(sim, model, next);
    const { cached } = await cachedFor(sim, model, next);
    const shared = turn2.tokenizer.decode(turn2.ids.slice(0, cached));
    expect(shared).toContain('</tools>');
    expect(turn2.text.indexOf('What is the weather in Paris?<|im_end|>')).toBeGreaterThan(0);
    expect(shared.length).toBeLessThanOrEqual(
      turn2.text.indexOf('<|im_end|>', turn2.text.indexOf('in Paris?')),
    );
  });
});

describe('prefix cache, the mechanics', () => {
  const ask = (content: string) => ({
    model: 'llama3.2:3b',
    messages: [system, { role: 'user', content }],
    stream: false,
  });

  it('evaluates only the part of the prompt after the shared prefix', async () => {
    const sim = await startSim();
    await post(sim, '/api/chat', ask('What is the capital of France?'));
    const previous = await rendered(
      sim,
      'llama3.2:3b',
      [system, { role: 'user', content: 'What is the capital of France?' }],
      [],
    );
    const current = await rendered(
      sim,
      'llama3.2:3b',
      [system, { role: 'user', content: 'And of Spain?' }],
      [],
    );
    sim.resetStats();
    const second = JSON.parse((await post(sim, '/api/chat', ask('And of Spain?'))).text);
    let shared = 0;
    while (previous.ids[shared] === current.ids[shared]) shared++;
    expect(sim.stats().promptTokensCached).toBe(shared);
    expect(sim.stats().promptTokensEvaluated).toBe(current.ids.length - shared);
    expect(second.prompt_eval_count).toBe(current.ids.length);
  });

  it('re-evaluates the last token of a fully cached prompt, like llama.cpp', async () => {
    const sim = await startSim();
    await post(sim, '/api/chat', ask('Same question'));
    sim.resetStats();
    await post(sim, '/api/chat', ask('Same question'));
    expect(sim.stats().promptTokensEvaluated).toBe(1);
  });

  it('picks the slot with the longest shared prefix', async () => {
    const sim = await startSim({ parallel: 2, latency: { tokensPerSecond: 500 } });
    const alpha = { role: 'system', content: 'Alpha system prompt with many words in it for the cache.' };
    const beta = { role: 'system', content: 'Beta instructions that differ from the first one entirely.' };
    const request = (systemMessage: object, content: string) => ({
      model: 'llama3.2:3b',
      messages: [systemMessage, { role: 'user', content }],
    });
    await Promise.all([
      post(sim, '/api/chat', request(alpha, 'one')),
      post(sim, '/api/chat', request(beta, 'two')),
    ]);
    for (const [systemMessage, name] of [
      [beta, 'three'],
      [alpha, 'four'],
    ] as const) {
      sim.resetStats();
      await post(sim, '/api/chat', request(systemMessage, name));
      const { ids } = await rendered(sim, 'llama3.2:3b', [systemMessage], []);
      // Everything up to the end of the system block (the whole render of the system message alone).
      expect(sim.stats().promptTokensCached).toBeGreaterThanOrEqual(ids.length - 1);
    }
  });

  it('bounds the prompt to num_ctx tokens, keeping the end', async () => {
    const sim = await startSim();
    const response = JSON.parse(
      (
        await post(sim, '/api/generate', {
          model: 'llama3.2:3b',
          prompt: 'word '.repeat(300),
          stream: false,
          options: { num_ctx: 128 },
        })
      ).text,
    );
    expect(response.prompt_eval_count).toBe(128);
  });
});
