import { describe, expect, it } from 'vitest';
import { fillArguments } from './tool-arguments.js';

const weather = {
  type: 'object',
  required: ['city'],
  properties: {
    city: { type: 'string', description: 'City name' },
    unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
    days: { type: 'integer' },
  },
};

describe('fillArguments', () => {
  it('takes a place after "in" and leaves out optional properties with nothing found', () => {
    expect(fillArguments(weather, "What's the weather in Tokyo?")).toEqual({ city: 'Tokyo' });
  });

  it('takes multi-word capitalised places, enums by word and numbers next to the property name', () => {
    expect(fillArguments(weather, 'Weather in New York for the next 3 days in fahrenheit')).toEqual({
      city: 'New York',
      unit: 'fahrenheit',
      days: 3,
    });
  });

  it('prefers quoted text', () => {
    const search = { type: 'object', required: ['query'], properties: { query: { type: 'string' } } };
    expect(fillArguments(search, 'Search the docs for "vector index" please')).toEqual({
      query: 'vector index',
    });
    expect(fillArguments(search, 'search the docs for vector databases')).toEqual({
      query: 'vector databases',
    });
  });

  it('searches from where the tool was named', () => {
    const text = 'Weather in Paris and the time in Tokyo';
    const city = { type: 'object', required: ['city'], properties: { city: { type: 'string' } } };
    expect(fillArguments(city, text, 0)).toEqual({ city: 'Paris' });
    expect(fillArguments(city, text, text.indexOf('time'))).toEqual({ city: 'Tokyo' });
  });

  it('falls back for required properties', () => {
    const schema = {
      type: 'object',
      required: ['query', 'limit', 'exact', 'filters', 'tags'],
      properties: {
        query: { type: 'string' },
        limit: { type: 'integer', minimum: 2 },
        exact: { type: 'boolean' },
        filters: { type: 'object' },
        tags: { type: 'array', items: { type: 'string' } },
      },
    };
    expect(fillArguments(schema, 'anything goes')).toEqual({
      query: 'anything goes',
      limit: 2,
      exact: false,
      filters: {},
      tags: [],
    });
  });

  it('accepts a schema without properties', () => {
    expect(fillArguments(undefined, 'hi')).toEqual({});
  });
});
