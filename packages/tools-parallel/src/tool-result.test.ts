import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { call } from '../test/helpers.js';
import { defineTool, runTools, ToolRegistry, toToolMessage } from './index.js';

describe('toToolMessage', () => {
  it('feeds a result back to Ollama as a tool message with tool_name', async () => {
    const add = defineTool({
      name: 'add',
      description: 'Add two numbers',
      parameters: z.object({ a: z.number(), b: z.number() }),
      execute: ({ a, b }) => ({ sum: a + b }),
    });
    const results = await runTools([call('add', { a: 2, b: 3 }), call('sub')], new ToolRegistry([add]));
    expect(results.map(toToolMessage)).toEqual([
      { role: 'tool', content: '{"sum":5}', tool_name: 'add' },
      {
        role: 'tool',
        content: 'Error: There is no tool named "sub". Available tools: add.',
        tool_name: 'sub',
      },
    ]);
  });
});
