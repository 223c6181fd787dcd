import { describe, expect, it } from 'vitest';
import { schemaKeywords } from './tools-sent.js';

describe('schemaKeywords', () => {
  it("lists the keywords of every tool's parameters, not the names of its properties", () => {
    const tools = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          parameters: {
            $schema: 'http://json-schema.org/draft-07/schema#',
            type: 'object',
            properties: { city: { type: 'string', description: 'a city' }, type: { type: 'string' } },
            required: ['city'],
            additionalProperties: false,
          },
        },
      },
      { type: 'function', function: { name: 'now', parameters: { type: 'object', properties: {} } } },
    ];
    expect([...schemaKeywords(JSON.stringify(tools))].sort()).toEqual([
      '$schema',
      'additionalProperties',
      'description',
      'properties',
      'required',
      'type',
    ]);
    expect(schemaKeywords(JSON.stringify([tools[1]]))).toEqual(new Set(['type', 'properties']));
  });
});
