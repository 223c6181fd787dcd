import { describe, expect, it } from 'vitest';
import { findToolMentions } from './tool-match.js';

const names = (text: string, tools: string[]) => findToolMentions(text, tools).map((mention) => mention.name);

describe('findToolMentions', () => {
  it('matches the exact name or the significant words of the name', () => {
    expect(names('Call get_weather please', ['get_weather'])).toEqual(['get_weather']);
    expect(names("What's the weather in Tokyo?", ['get_weather', 'search_docs'])).toEqual(['get_weather']);
    expect(names('Look it up in the doc', ['search_docs'])).toEqual(['search_docs']);
    expect(names('What time is it in Paris?', ['getCurrentTime'])).toEqual(['getCurrentTime']);
  });

  it('needs every significant word', () => {
    expect(names('Send a message', ['send_email'])).toEqual([]);
    expect(names('Send an email to Bob', ['send_email'])).toEqual(['send_email']);
  });

  it('only matches a name made of generic words exactly', () => {
    expect(names('search for cats', ['search'])).toEqual(['search']);
    expect(names('find me cats', ['search'])).toEqual([]);
  });

  it('returns several tools in the order they are named', () => {
    expect(names('Check the time in Paris and the weather in Tokyo', ['get_weather', 'get_time'])).toEqual([
      'get_time',
      'get_weather',
    ]);
  });

  it('prefers the more specific tool', () => {
    expect(names('weather forecast for Oslo', ['get_weather', 'get_weather_forecast'])).toEqual([
      'get_weather_forecast',
    ]);
  });
});
