import { describe, expect, it } from 'vitest';
import { defaultScript } from './default-script.js';
import { seededRandom } from './random.js';
import { countTokens } from './tokenize.js';
import type { ScriptInput, ScriptReply } from './types.js';

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    parameters: { type: 'object', required: ['city'], properties: { city: { type: 'string' } } },
  },
};
const timeTool = {
  type: 'function',
  function: {
    name: 'get_time',
    parameters: { type: 'object', required: ['city'], properties: { city: { type: 'string' } } },
  },
};

const contentOf = (reply: ScriptReply): string => reply.content ?? '';

function input(overrides: Partial<ScriptInput>): ScriptInput {
  return {
    route: 'chat',
    model: 'llama3.2:3b',
    messages: [],
    tools: [],
    options: {},
    deterministic: true,
    random: seededRandom(1),
    answerTokens: 24,
    ...overrides,
  };
}

describe('defaultScript', () => {
  it('calls the tools a user message names, each with its own arguments', () => {
    const reply = defaultScript(
      input({
        messages: [{ role: 'user', content: 'What is the weather in Paris and the time in Tokyo?' }],
        tools: [weatherTool, timeTool],
      }),
    );
    expect(reply).toEqual({
      toolCalls: [
        { name: 'get_weather', arguments: { city: 'Paris' } },
        { name: 'get_time', arguments: { city: 'Tokyo' } },
      ],
    });
  });

  it('answers from tool results after tool messages', () => {
    const reply = defaultScript(
      input({
        messages: [
          { role: 'user', content: 'Weather in Paris?' },
          { role: 'assistant', content: '', tool_calls: [] },
          { role: 'tool', content: '{"temperature":21}', tool_name: 'get_weather' },
        ],
        tools: [weatherTool],
      }),
    );
    expect(contentOf(reply)).toMatch(/^Here is what I found\. get_weather: \{"temperature":21\}\./);
  });

  it('answers in text of answerTokens tokens when no tool is named', () => {
    const reply = defaultScript(
      input({ messages: [{ role: 'user', content: 'Why is the sky blue?' }], tools: [weatherTool] }),
    );
    expect(contentOf(reply).startsWith('You asked about blue.')).toBe(true);
    expect(countTokens(contentOf(reply))).toBe(24);
  });

  it('thinks first when asked to', () => {
    const reply = defaultScript(
      input({ messages: [{ role: 'user', content: 'Explain rainbows' }], think: true }),
    );
    expect(reply).toMatchObject({
      thinking: 'The user asks about explain, rainbows. I will answer plainly.',
    });
  });

  it('answers a JSON object when a format is set', () => {
    const schema = { type: 'object', required: ['city'], properties: { city: { type: 'string' } } };
    const reply = defaultScript(
      input({ messages: [{ role: 'user', content: 'I live in Lyon' }], format: schema }),
    );
    expect(reply).toEqual({ content: '{"city":"Lyon"}' });
    const json = defaultScript(
      input({ messages: [{ role: 'user', content: 'Sky color?' }], format: 'json' }),
    );
    expect(JSON.parse(contentOf(json))).toEqual({ answer: 'You asked about color.' });
  });
});
