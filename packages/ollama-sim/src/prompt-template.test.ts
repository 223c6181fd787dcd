import { describe, expect, it } from 'vitest';
import { renderChatPrompt, renderGeneratePrompt, renderToolCall } from './prompt-template.js';
import { tokenize } from './tokenize.js';

describe('renderChatPrompt', () => {
  const tools = [{ type: 'function', function: { name: 'get_weather' } }];

  it('puts system messages first, then tools, then the rest', () => {
    const prompt = renderChatPrompt(
      [
        { role: 'user', content: 'Hi' },
        { role: 'system', content: 'Be brief.' },
      ],
      tools,
    );
    expect(prompt).toBe(`<|system|>Be brief.\n<|tools|>${JSON.stringify(tools)}\n<|user|>Hi\n<|assistant|>`);
  });

  it('renders the next turn so the previous prompt plus the generated answer is a token prefix', () => {
    const first = renderChatPrompt([{ role: 'user', content: 'Weather in Tokyo?' }], tools);
    const call = renderToolCall('get_weather', { city: 'Tokyo' });
    const next = renderChatPrompt(
      [
        { role: 'user', content: 'Weather in Tokyo?' },
        {
          role: 'assistant',
          content: '',
          tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Tokyo' } } }],
        },
        { role: 'tool', content: '21 C' },
      ],
      tools,
    );
    const cached = [...tokenize(first), ...tokenize(call)];
    expect(tokenize(next).slice(0, cached.length)).toEqual(cached);
  });

  it('renders generate prompts, raw as is', () => {
    expect(renderGeneratePrompt({ prompt: 'Hi', system: 'S', suffix: '', images: [], raw: false })).toBe(
      '<|system|>S\n<|user|>Hi\n<|assistant|>',
    );
    expect(renderGeneratePrompt({ prompt: 'Hi', system: 'S', suffix: '', images: [], raw: true })).toBe('Hi');
  });
});
