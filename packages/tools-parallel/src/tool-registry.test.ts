import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool, ToolRegistry } from './index.js';

const lookup = defineTool({
  name: 'lookup',
  description: 'Look a word up',
  parameters: z.object({ word: z.string() }),
  readOnly: true,
  execute: ({ word }) => word.length,
});
const save = defineTool({
  name: 'save',
  description: 'Save a note',
  parameters: z.object({ text: z.string() }),
  execute: () => undefined,
});

describe('ToolRegistry', () => {
  it('finds tools by name and lists them in registration order', () => {
    const registry = new ToolRegistry([lookup, save]);
    expect(registry.get('lookup')).toBe(lookup);
    expect(registry.get('missing')).toBeUndefined();
    expect(registry.has('save')).toBe(true);
    expect(registry.size).toBe(2);
    expect(registry.names()).toEqual(['lookup', 'save']);
    expect(registry.list()).toEqual([lookup, save]);
  });

  it('rejects a second tool with the same name', () => {
    const registry = new ToolRegistry([lookup]);
    const again = defineTool({ ...save, name: 'lookup', execute: () => 1 });
    expect(() => registry.register(again)).toThrow(TypeError);
    expect(() => registry.register(again)).toThrow('A tool named "lookup" is already registered');
    expect(() => new ToolRegistry([lookup, lookup])).toThrow(/"lookup"/);
  });

  it('rejects what defineTool did not make', () => {
    expect(() => new ToolRegistry().register({ name: 'x' } as never)).toThrow(/made by defineTool/);
  });

  it("gives Ollama's tools array, the same frozen array until a tool is added", () => {
    const registry = new ToolRegistry([lookup]);
    const tools = registry.toOllamaTools();
    expect(tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'lookup',
          description: 'Look a word up',
          parameters: { type: 'object', properties: { word: { type: 'string' } }, required: ['word'] },
        },
      },
    ]);
    expect(JSON.stringify(tools)).not.toContain('$schema');
    expect(Object.isFrozen(tools)).toBe(true);
    expect(registry.toOllamaTools()).toBe(tools);
    registry.register(save);
    expect(registry.toOllamaTools().map((tool) => tool.function.name)).toEqual(['lookup', 'save']);
  });
});
