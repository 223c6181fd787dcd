import { describe, expect, it } from 'vitest';
import type { RenderInput, TemplateMessage } from './chat-template.js';
import { collate } from './chat-template.js';
import { argumentsJson, toolJson } from './template-json.js';
import { chatTemplate, defaultTemplateName } from './templates.js';

const weather = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Weather <now> & later',
    parameters: {
      type: 'object',
      required: ['city'],
      properties: {
        unit: { type: 'string', enum: ['c', 'f'], default: 'c' },
        city: { type: 'string', description: 'City', minLength: 1 },
      },
    },
  },
};
const W = toolJson(weather);
const F = W.slice('{"type":"function","function":'.length, -1);

const system: TemplateMessage = { role: 'system', content: 'Be brief.' };
const ask: TemplateMessage = { role: 'user', content: 'Weather in Paris?' };
const call: TemplateMessage = {
  role: 'assistant',
  content: '',
  tool_calls: [{ function: { name: 'get_weather', arguments: { unit: 'c', city: 'Paris' } } }],
};
const result: TemplateMessage = { role: 'tool', content: '{"temperature":21}' };
const answer: TemplateMessage = { role: 'assistant', content: 'It is 21 degrees.' };

const render = (name: 'llama3.2' | 'qwen3' | 'qwen2.5', input: Partial<RenderInput>) =>
  chatTemplate(name).render({ messages: [], tools: [], think: undefined, ...input });

describe('template JSON', () => {
  it('prints tools as Go marshals templateTool: struct order, sorted properties, unknown keywords dropped, HTML escaped', () => {
    expect(W).toBe(
      '{"type":"function","function":{"name":"get_weather","description":"Weather \\u003cnow\\u003e \\u0026 later","parameters":{"type":"object","required":["city"],"properties":{"city":{"type":"string","description":"City"},"unit":{"type":"string","enum":["c","f"]}}}}}',
    );
    expect(argumentsJson({ z: 1, a: { y: '<', b: [2.5, true] } })).toBe(
      '{"a":{"b":[2.5,true],"y":"\\u003c"},"z":1}',
    );
    expect(argumentsJson(undefined)).toBe('{}');
  });
});

describe('collate', () => {
  it('hoists every system message and merges consecutive same-role messages other than tool', () => {
    const collated = collate([
      system,
      { role: 'user', content: 'a', images: ['x'] },
      { role: 'user', content: 'b' },
      { role: 'system', content: 'Second.' },
      result,
      result,
    ]);
    expect(collated.system).toBe('Be brief.\n\nSecond.');
    expect(collated.messages.map((message) => [message.role, message.content])).toEqual([
      ['system', 'Be brief.'],
      ['user', '[img-0]a\n\nb'],
      ['system', 'Second.'],
      ['tool', '{"temperature":21}'],
      ['tool', '{"temperature":21}'],
    ]);
  });
});

describe('llama3.2', () => {
  const head = '<|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\n\n';
  const toolsSystem =
    'When you receive a tool call response, use the output to format an answer to the orginal user question.\n\nYou are a helpful assistant with tool calling capabilities.<|eot_id|>';
  const toolsUser = `\n\nGiven the following functions, please respond with a JSON for a function call with its proper arguments that best answers the given prompt.\n\nRespond in the format {"name": function name, "parameters": dictionary of argument name and its value}. Do not use variables.\n\n${W}\n\n`;
  const generation = '<|start_header_id|>assistant<|end_header_id|>\n\n';

  it('renders the tools inside the last user message only, while it is last', () => {
    expect(render('llama3.2', { messages: [system, ask], tools: [weather] })).toBe(
      `${head}Be brief.${toolsSystem}<|start_header_id|>user<|end_header_id|>${toolsUser}Weather in Paris?<|eot_id|>${generation}`,
    );
    expect(render('llama3.2', { messages: [system, ask, call, result], tools: [weather] })).toBe(
      `${head}Be brief.${toolsSystem}<|start_header_id|>user<|end_header_id|>\n\nWeather in Paris?<|eot_id|>` +
        '<|start_header_id|>assistant<|end_header_id|>\n\n{"name": "get_weather", "parameters": {"city":"Paris","unit":"c"}}<|eot_id|>' +
        `<|start_header_id|>ipython<|end_header_id|>\n\n{"temperature":21}<|eot_id|>${generation}`,
    );
  });

  it('renders no tool sentence without tools, and no generation prompt after an assistant message', () => {
    expect(render('llama3.2', { messages: [ask, answer] })).toBe(
      `${head}<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nWeather in Paris?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nIt is 21 degrees.`,
    );
  });
});

describe('qwen3', () => {
  const toolsBlock = `\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>\n{"type": "function", "function": ${F}}\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call><|im_end|>\n`;

  it('renders the tools in the system block and /think on the last user message', () => {
    expect(render('qwen3', { messages: [system, ask], tools: [weather], think: true })).toBe(
      `<|im_start|>system\n\nBe brief.${toolsBlock}<|im_start|>user\nWeather in Paris? /think<|im_end|>\n<|im_start|>assistant\n`,
    );
  });

  it('renders tool calls, tool responses and thinking after the last user message; an empty think block when thinking is off', () => {
    const thought: TemplateMessage = { ...call, thinking: 'Need weather.' };
    expect(render('qwen3', { messages: [ask, thought, result], tools: [weather], think: false })).toBe(
      `<|im_start|>system\n${toolsBlock}<|im_start|>user\nWeather in Paris? /no_think<|im_end|>\n` +
        '<|im_start|>assistant\n<think>Need weather.</think>\n<tool_call>\n{"name": "get_weather", "arguments": {"city":"Paris","unit":"c"}}\n</tool_call><|im_end|>\n' +
        '<|im_start|>user\n<tool_response>\n{"temperature":21}\n</tool_response><|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n',
    );
  });

  it('moves /think to the new last user message, dropping earlier thinking, and renders nothing for think when it is not set', () => {
    const earlier: TemplateMessage = { ...answer, thinking: 'Old thought.' };
    expect(
      render('qwen3', { messages: [ask, earlier, { role: 'user', content: 'And Rome?' }], think: true }),
    ).toBe(
      '<|im_start|>user\nWeather in Paris?<|im_end|>\n<|im_start|>assistant\nIt is 21 degrees.<|im_end|>\n<|im_start|>user\nAnd Rome? /think<|im_end|>\n<|im_start|>assistant\n',
    );
    expect(render('qwen3', { messages: [ask] })).toBe(
      '<|im_start|>user\nWeather in Paris?<|im_end|>\n<|im_start|>assistant\n',
    );
  });
});

describe('qwen2.5 (the fallback)', () => {
  it('is ChatML with the tools in the system block and no think logic', () => {
    expect(render('qwen2.5', { messages: [system, ask], tools: [weather], think: true })).toBe(
      `<|im_start|>system\nBe brief.\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>\n{"type": "function", "function": ${F}}\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call><|im_end|>\n<|im_start|>user\nWeather in Paris?<|im_end|>\n<|im_start|>assistant\n`,
    );
  });

  it('is what a model of another family gets by default', () => {
    expect(defaultTemplateName('llama3.1:8b', 'llama')).toBe('llama3.2');
    expect(defaultTemplateName('library/qwen3:14b', 'qwen3')).toBe('qwen3');
    expect(defaultTemplateName('mistral:7b', 'mistral')).toBe('qwen2.5');
  });
});

describe('tokens', () => {
  it('counts each special token as one, with the model vocabulary id, and Llama 3 prompts start with BOS', () => {
    const llama = chatTemplate('llama3.2').tokenizer;
    const ids = llama.encodePrompt(render('llama3.2', { messages: [ask] }));
    expect(ids.slice(0, 2)).toEqual([128000, 128006]);
    expect(ids.filter((id) => id >= 128000)).toEqual([
      128000, 128006, 128007, 128009, 128006, 128007, 128009, 128006, 128007,
    ]);
    const qwen = chatTemplate('qwen3').tokenizer;
    expect(qwen.encodePrompt('<|im_start|>user\nhi<|im_end|>\n<tool_call>')).toEqual([
      151644,
      ...qwen.encode('user\nhi'),
      151645,
      ...qwen.encode('\n'),
      151657,
    ]);
  });
});
