import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { defineTool, type ToolContext } from './index.js';

const valid = {
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: z.object({ city: z.string().describe('City name'), days: z.number().int().default(1) }),
  execute: () => 'sunny',
};

describe('defineTool', () => {
  it('types the arguments from the schema output and the result from execute', () => {
    const tool = defineTool({
      ...valid,
      execute: async (args, context) => {
        expectTypeOf(args).toEqualTypeOf<{ city: string; days: number }>();
        expectTypeOf(context).toEqualTypeOf<ToolContext>();
        return { temperature: 21 };
      },
    });
    expectTypeOf(tool.execute).parameter(0).toEqualTypeOf<{ city: string; days: number }>();
    expectTypeOf(tool.execute).returns.resolves.toEqualTypeOf<{ temperature: number }>();
    expect(tool.readOnly).toBe(false);
    expect(tool.timeoutMs).toBeUndefined();
    expect(Object.isFrozen(tool)).toBe(true);
  });

  it('renders the parameters as JSON Schema the way Ollama wants them', () => {
    const tool = defineTool({
      ...valid,
      parameters: z.object({
        city: z.string().describe('City name'),
        days: z.number().int().min(1).default(1),
        unit: z.enum(['c', 'f']).optional(),
        tags: z.array(z.object({ id: z.number().int() })),
      }),
    });
    expect(tool.jsonSchema).toEqual({
      type: 'object',
      properties: {
        city: { type: 'string', description: 'City name' },
        days: { type: 'integer', minimum: 1, default: 1 },
        unit: { type: 'string', enum: ['c', 'f'] },
        tags: {
          type: 'array',
          items: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] },
        },
      },
      // The model writes the input, so a field with a default is not required.
      required: ['city', 'tags'],
    });
    expect(tool.jsonSchema).not.toHaveProperty('$schema');
    expect(Object.isFrozen(tool.jsonSchema.properties)).toBe(true);
  });

  it.each([
    ['an empty name', { name: '' }, /`name`/],
    ['a name with a space', { name: 'get weather' }, /`name`.*"get weather"/],
    ['a name of 65 characters', { name: 'a'.repeat(65) }, /1 to 64 characters/],
    ['a missing description', { description: undefined }, /`description`/],
    ['a blank description', { description: '  ' }, /`description`/],
    ['parameters that are not zod', { parameters: { type: 'object' } }, /`parameters` to be a zod schema/],
    [
      'parameters that are not an object',
      { parameters: z.string() },
      /must describe a JSON object.*"string"/,
    ],
    [
      'parameters JSON Schema cannot express',
      { parameters: z.object({ when: z.date() }) },
      /cannot be expressed/,
    ],
    ['an execute that is not a function', { execute: 'run' }, /`execute` to be a function/],
    ['a zero timeout', { timeoutMs: 0 }, /`timeoutMs` of tool "get_weather".*`0`/],
    ['a timeout past setTimeout', { timeoutMs: 2 ** 31 }, /`timeoutMs`/],
    ['a readOnly that is not boolean', { readOnly: 'yes' }, /`readOnly`.*"yes"/],
    [
      'an unknown key (a typo of timeoutMs)',
      { timeout: 5_000 },
      /^Unknown option `timeout` in tool "get_weather": expected one of name, description, parameters, execute, timeoutMs, readOnly, jsonSchema$/,
    ],
  ])('throws a TypeError for %s', (_label, patch, message) => {
    expect(() => defineTool({ ...valid, ...patch } as unknown as typeof valid)).toThrow(TypeError);
    expect(() => defineTool({ ...valid, ...patch } as unknown as typeof valid)).toThrow(message);
  });

  it('throws a TypeError for a definition that is not an object', () => {
    expect(() => defineTool(null as unknown as typeof valid)).toThrow(/tool definition object/);
  });

  it('accepts Infinity as a timeout and keeps readOnly', () => {
    const tool = defineTool({ ...valid, timeoutMs: Number.POSITIVE_INFINITY, readOnly: true });
    expect(tool.timeoutMs).toBe(Number.POSITIVE_INFINITY);
    expect(tool.readOnly).toBe(true);
  });
});
