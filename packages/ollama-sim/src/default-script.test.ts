import { describe, expect, it } from 'vitest';
import { defaultScript } from './default-script.js';
import { seededRandom } from './random.js';
import { SimTokenizer } from './tokenizer.js';
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

/** The agent's built-in tools as Lunar sends them (zod's JSON schema of their parameters). */
const agentTools = [
  {
    type: 'function',
    function: {
      name: 'current_time',
      description:
        'Get the current date and time in a time zone (an IANA name such as "Europe/Paris" or "UTC").',
      parameters: {
        type: 'object',
        properties: {
          timezone: {
            default: 'UTC',
            description: 'IANA time zone name, e.g. "Asia/Tokyo"',
            type: 'string',
            minLength: 1,
            maxLength: 64,
          },
        },
      },
    },
  },
  {
    type: 'function',
    function: {
      name: 'calculate',
      description:
        'Calculate an arithmetic expression: + - * / % ^, parentheses, sqrt, abs, round, floor, ceil.',
      parameters: {
        type: 'object',
        properties: {
          expression: { type: 'string', minLength: 1, maxLength: 1000, description: 'e.g. "12 * (3 + 4)"' },
        },
        required: ['expression'],
      },
    },
  },
  {
    type: 'function',
    function: {
      name: 'remember',
      description: 'Store a fact in long-term memory so it can be recalled in later conversations.',
      parameters: {
        type: 'object',
        properties: {
          text: { type: 'string', minLength: 1, maxLength: 4000, description: 'the fact to remember' },
        },
        required: ['text'],
      },
    },
  },
  {
    type: 'function',
    function: {
      name: 'recall',
      description: 'Search long-term memory for facts related to a query.',
      parameters: {
        type: 'object',
        properties: {
          query: { type: 'string', minLength: 1, maxLength: 1000, description: 'what to look for' },
          k: { default: 5, description: 'how many memories', type: 'integer', minimum: 1, maximum: 20 },
        },
        required: ['query'],
      },
    },
  },
];

const contentOf = (reply: ScriptReply): string => reply.content ?? '';
const countTokens = (text: string): number => new SimTokenizer({}).encode(text).length;

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
    expect(contentOf(reply)).toBe('get_weather returned temperature 21.');
  });

  it('answers in whole sentences within answerTokens tokens when no tool is named, saying it is simulated', () => {
    const reply = defaultScript(
      input({ messages: [{ role: 'user', content: 'Why is the sky blue?' }], tools: [weatherTool] }),
    );
    expect(contentOf(reply)).toMatch(/^Simulated answer about blue \(draw \d{4}\)\./);
    expect(countTokens(contentOf(reply))).toBe(24);
    expect(contentOf(reply)).toMatch(/\.$/);
  });

  it('thinks first on a thinking model', () => {
    const reply = defaultScript(
      input({ messages: [{ role: 'user', content: 'Explain rainbows' }], think: true }),
    );
    expect(reply.thinking).toMatch(/^The user asks about explain, rainbows\. This thinking is simulated\./);
  });

  it('stores the whole fact, then quotes it from the context when asked', () => {
    const stored = defaultScript(
      input({ messages: [{ role: 'user', content: 'Remember that my cat is Miso.' }], tools: agentTools }),
    );
    expect(stored).toEqual({ toolCalls: [{ name: 'remember', arguments: { text: 'my cat is Miso' } }] });
    const asked = defaultScript(
      input({
        messages: [
          { role: 'system', content: 'You are a helpful assistant.' },
          {
            role: 'user',
            content:
              'Context for my next message (not a question):\nToday is 2025-01-01.\nRelevant memories:\n- my cat is Miso',
          },
          { role: 'user', content: 'What is my cat called?' },
        ],
        tools: agentTools,
        answerTokens: 68,
      }),
    );
    expect(contentOf(asked)).toMatch(
      /^This is a simulated answer \(draw \d{4}\)\. From memory: "my cat is Miso"\./,
    );
  });

  it('never puts a value that does not fit a property into it: a time zone gets a zone or its default', () => {
    const both = defaultScript(
      input({
        messages: [
          { role: 'user', content: "What's the current time in Tokyo, and calculate '12 * (3 + 4)'" },
        ],
        tools: agentTools,
      }),
    );
    expect(both).toEqual({
      toolCalls: [
        { name: 'current_time', arguments: { timezone: 'Asia/Tokyo' } },
        { name: 'calculate', arguments: { expression: '12 * (3 + 4)' } },
      ],
    });
    const nowhere = defaultScript(
      input({
        messages: [{ role: 'user', content: 'What is the current time? Ask "Bob"' }],
        tools: agentTools,
      }),
    );
    expect(nowhere).toEqual({ toolCalls: [{ name: 'current_time', arguments: { timezone: 'UTC' } }] });
    const unquoted = defaultScript(
      input({ messages: [{ role: 'user', content: 'What is 6 * 7? calculate it' }], tools: agentTools }),
    );
    expect(unquoted).toEqual({ toolCalls: [{ name: 'calculate', arguments: { expression: '6 * 7' } }] });
  });

  it('skips a candidate that fails the pattern, enum or format of the schema', () => {
    const lookup = {
      type: 'function',
      function: {
        name: 'lookup_order',
        parameters: {
          type: 'object',
          required: ['order', 'since'],
          properties: {
            order: { type: 'string', pattern: '^ORD-\\d+$' },
            since: { type: 'string', format: 'date' },
          },
        },
      },
    };
    const reply = defaultScript(
      input({
        messages: [{ role: 'user', content: 'Lookup order "Bob" and "ORD-42" since "2025-02-03" for Alice' }],
        tools: [lookup],
      }),
    );
    expect(reply).toEqual({
      toolCalls: [{ name: 'lookup_order', arguments: { order: 'ORD-42', since: '2025-02-03' } }],
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
    expect(JSON.parse(contentOf(json))).toEqual({ answer: 'Simulated answer about color.' });
  });
});
