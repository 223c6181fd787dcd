import { ChatOllama, OllamaEmbeddings } from '@langchain/ollama';
import type { LLMCacheStatus } from '@lunar/llm-cache';
import { embedMany, generateText, streamText, tool } from 'ai';
import { createOllama } from 'ai-sdk-ollama';
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EMBED_MODEL, type Harness, MODEL, startHarness } from './harness.js';

// One suite for every client: each operation runs against the simulator directly, then twice
// through the proxy. The three results must be the same, and the repeat must be a cache hit
// (statuses as the proxy's observer heard them). Aborts and errors are never stored.

let harness: Harness;
const statuses: LLMCacheStatus[] = [];

beforeAll(async () => {
  harness = await startHarness(
    { observer: { done: (call) => statuses.push(call.cache) } },
    {
      latency: { tokensPerSecond: 4_000 },
      models: [
        { name: MODEL, answerTokens: 200 },
        // Long answers (1 s each) for the aborts, so they stop a stream midway.
        { name: LONG_MODEL, answerTokens: 4_000 },
        { name: EMBED_MODEL, capabilities: ['embedding'] },
      ],
    },
  );
});

afterAll(async () => {
  await harness.close();
});

const LONG_MODEL = 'llama3.2:1b';
const QUESTION = 'Why is the sky blue?';
const WEATHER = 'What is the weather in Paris?';
const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Get the weather in a city',
    parameters: { type: 'object', required: ['city'], properties: { city: { type: 'string' } } },
  },
};

/** What an error looks like to the user of a client: its status (when it has one) and message. */
function outcome(error: unknown): { error: string; status?: number } {
  const { message, status, status_code, name } = error as {
    message: string;
    status?: number;
    status_code?: number;
    name: string;
  };
  if (name === 'AbortError' || /abort/i.test(message)) return { error: 'aborted' };
  const code = status ?? status_code;
  return code === undefined ? { error: message } : { error: message, status: code };
}

async function failure(work: () => Promise<unknown>): Promise<{ error: string; status?: number }> {
  try {
    await work();
  } catch (error) {
    return outcome(error);
  }
  throw new Error('expected a failure');
}

/** What a direct answer must hold, so that "the same through the proxy" compares an answer. */
function expectAnswer(operation: string, answer: unknown): void {
  switch (operation) {
    case 'error':
      expect(answer).toMatchObject({ error: expect.stringMatching(/\S/) });
      return;
    case 'abort':
      expect(answer).toMatchObject({ stoppedEarly: true });
      return;
    case 'embed': // two inputs, a vector each
      expect(answer).toEqual([expect.any(Array), expect.any(Array)]);
      for (const vector of answer as number[][]) expect(vector[0]).toEqual(expect.any(Number));
      return;
    case 'tool call': // get_weather for Paris, in the client's own shape
      expect(JSON.stringify(answer)).toContain('get_weather');
      expect(JSON.stringify(answer)).toContain('Paris');
      return;
    default: // text
      expect(answer).toEqual(expect.stringMatching(/\S/));
  }
}

type Operation = (url: string) => Promise<unknown>;
/** Repeats: `hit` (the second proxied run is served from the cache), or `none` (errors, aborts). */
interface Case {
  client: string;
  operation: string;
  run: Operation;
  repeat: 'hit' | 'none';
}

const ollamaClient = (url: string) => new Ollama({ host: url });
const openaiClient = (url: string) => new OpenAI({ baseURL: `${url}/v1`, apiKey: 'ollama', maxRetries: 0 });
const aiProvider = (url: string) => createOllama({ baseURL: url });

/**
 * Reads the first chunk of a stream, then aborts it (what a Stop button does): how the stream
 * ended for the user (an abort error, or a quiet end as the openai SDK does) and whether it stopped
 * early (a few chunks of the thousands the answer has).
 */
async function abortAfterFirst<T>(stream: AsyncIterable<T>, abort: () => void): Promise<unknown> {
  let chunks = 0;
  let ended: unknown = 'quietly';
  try {
    for await (const _chunk of stream) {
      chunks++;
      abort();
    }
  } catch (error) {
    ended = outcome(error);
  }
  return { aborted: ended, stoppedEarly: chunks < 100 };
}

const cases: Case[] = [
  {
    client: 'ollama',
    operation: 'chat, streamed',
    repeat: 'hit',
    run: async (url) => {
      const stream = await ollamaClient(url).chat({
        model: MODEL,
        messages: [{ role: 'user', content: QUESTION }],
        options: { temperature: 0 },
        stream: true,
      });
      let text = '';
      for await (const chunk of stream) text += chunk.message.content;
      return text;
    },
  },
  {
    client: 'ollama',
    operation: 'tool call',
    repeat: 'hit',
    run: async (url) => {
      const answer = await ollamaClient(url).chat({
        model: MODEL,
        messages: [{ role: 'user', content: WEATHER }],
        tools: [weatherTool],
        options: { temperature: 0 },
      });
      return answer.message.tool_calls?.map((call) => call.function);
    },
  },
  {
    client: 'ollama',
    operation: 'generate',
    repeat: 'hit',
    run: async (url) =>
      (await ollamaClient(url).generate({ model: MODEL, prompt: QUESTION, options: { seed: 7 } })).response,
  },
  {
    client: 'ollama',
    operation: 'embed',
    repeat: 'hit',
    run: async (url) =>
      (await ollamaClient(url).embed({ model: EMBED_MODEL, input: ['lunar', 'cache'] })).embeddings,
  },
  {
    client: 'ollama',
    operation: 'error',
    repeat: 'none',
    run: (url) =>
      failure(() =>
        ollamaClient(url).chat({ model: 'nope:1b', messages: [{ role: 'user', content: 'Hi' }] }),
      ),
  },
  {
    client: 'ollama',
    operation: 'abort',
    repeat: 'none',
    run: async (url) => {
      const stream = await ollamaClient(url).chat({
        model: LONG_MODEL,
        messages: [{ role: 'user', content: QUESTION }],
        options: { temperature: 0 },
        stream: true,
      });
      return abortAfterFirst(stream, () => stream.abort());
    },
  },
  {
    client: 'openai',
    operation: 'chat, streamed',
    repeat: 'hit',
    run: async (url) => {
      const stream = await openaiClient(url).chat.completions.create({
        model: MODEL,
        messages: [{ role: 'user', content: QUESTION }],
        temperature: 0,
        stream: true,
      });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      return text;
    },
  },
  {
    client: 'openai',
    operation: 'tool call',
    repeat: 'hit',
    run: async (url) => {
      const answer = await openaiClient(url).chat.completions.create({
        model: MODEL,
        messages: [{ role: 'user', content: WEATHER }],
        tools: [weatherTool],
        temperature: 0,
      });
      const message = answer.choices[0]!.message;
      return {
        calls: message.tool_calls?.map((call) => (call.type === 'function' ? call.function : call)),
        finish: answer.choices[0]!.finish_reason,
      };
    },
  },
  {
    client: 'openai',
    operation: 'generate (completions)',
    repeat: 'hit',
    run: async (url) =>
      (await openaiClient(url).completions.create({ model: MODEL, prompt: QUESTION, temperature: 0 }))
        .choices[0]!.text,
  },
  {
    client: 'openai',
    operation: 'embed',
    repeat: 'hit',
    run: async (url) =>
      (await openaiClient(url).embeddings.create({ model: EMBED_MODEL, input: ['lunar', 'cache'] })).data.map(
        (item) => item.embedding,
      ),
  },
  {
    client: 'openai',
    operation: 'error',
    repeat: 'none',
    run: (url) =>
      failure(() =>
        openaiClient(url).chat.completions.create({
          model: 'nope:1b',
          messages: [{ role: 'user', content: 'Hi' }],
        }),
      ),
  },
  {
    client: 'openai',
    operation: 'abort',
    repeat: 'none',
    run: async (url) => {
      const stream = await openaiClient(url).chat.completions.create({
        model: LONG_MODEL,
        messages: [{ role: 'user', content: QUESTION }],
        temperature: 0,
        stream: true,
      });
      return abortAfterFirst(stream, () => stream.controller.abort());
    },
  },
  {
    client: '@langchain/ollama',
    operation: 'chat, streamed',
    repeat: 'hit',
    run: async (url) => {
      let text = '';
      for await (const chunk of await new ChatOllama({ model: MODEL, baseUrl: url, temperature: 0 }).stream(
        QUESTION,
      )) {
        text += chunk.content;
      }
      return text;
    },
  },
  {
    client: '@langchain/ollama',
    operation: 'tool call',
    repeat: 'hit',
    run: async (url) => {
      const chat = new ChatOllama({ model: MODEL, baseUrl: url, temperature: 0 }).bindTools([weatherTool]);
      const answer = await chat.invoke(WEATHER);
      return answer.tool_calls?.map(({ name, args }) => ({ name, args }));
    },
  },
  {
    client: '@langchain/ollama',
    operation: 'embed',
    repeat: 'hit',
    run: (url) =>
      new OllamaEmbeddings({ model: EMBED_MODEL, baseUrl: url }).embedDocuments(['lunar', 'cache']),
  },
  {
    client: '@langchain/ollama',
    operation: 'error',
    repeat: 'none',
    run: (url) =>
      failure(() => new ChatOllama({ model: 'nope:1b', baseUrl: url, maxRetries: 0 }).invoke('Hi')),
  },
  {
    client: 'ai + ai-sdk-ollama',
    operation: 'chat, streamed',
    repeat: 'hit',
    run: async (url) => {
      const result = streamText({ model: aiProvider(url)(MODEL), prompt: QUESTION, temperature: 0 });
      let text = '';
      for await (const part of result.textStream) text += part;
      return text;
    },
  },
  {
    client: 'ai + ai-sdk-ollama',
    operation: 'tool call',
    repeat: 'hit',
    run: async (url) => {
      const result = await generateText({
        model: aiProvider(url)(MODEL),
        prompt: WEATHER,
        temperature: 0,
        tools: {
          get_weather: tool({
            description: 'Get the weather in a city',
            inputSchema: z.object({ city: z.string() }),
          }),
        },
      });
      return result.toolCalls.map(({ toolName, input }) => ({ toolName, input }));
    },
  },
  {
    client: 'ai + ai-sdk-ollama',
    operation: 'generate',
    repeat: 'hit',
    run: async (url) =>
      (await generateText({ model: aiProvider(url)(MODEL), prompt: QUESTION, temperature: 0 })).text,
  },
  {
    client: 'ai + ai-sdk-ollama',
    operation: 'embed',
    repeat: 'hit',
    run: async (url) =>
      (await embedMany({ model: aiProvider(url).embedding(EMBED_MODEL), values: ['lunar', 'cache'] }))
        .embeddings,
  },
  {
    client: 'ai + ai-sdk-ollama',
    operation: 'error',
    repeat: 'none',
    run: (url) =>
      failure(() => generateText({ model: aiProvider(url)('nope:1b'), prompt: 'Hi', maxRetries: 0 })),
  },
];

describe('the same results direct and through the proxy, for every client', () => {
  it.each(cases)('$client: $operation', async ({ run, repeat, operation }) => {
    const generated = harness.sim.stats().tokensGenerated;
    const direct = await run(harness.sim.url);
    expectAnswer(operation, direct);
    statuses.length = 0;
    const proxied = await run(harness.url);
    if (operation === 'abort') {
      // The repeat starts once the aborted call has ended at the host: joining it while it still runs
      // would hand the client a burst of the tokens generated so far in one read, which some clients
      // (ollama-js) keep yielding after abort().
      await expect.poll(() => harness.sim.stats().generationsInFlight).toBe(0);
    }
    const repeated = await run(harness.url);
    expect(proxied).toEqual(direct);
    expect(repeated).toEqual(direct);
    if (repeat === 'hit') {
      expect(statuses.at(0)).toMatch(/^(miss|hit)$/);
      expect(statuses.at(-1)).toBe('hit');
    } else {
      expect(statuses).toEqual([]);
    }
    if (operation === 'abort') {
      expect(direct).toMatchObject({ stoppedEarly: true });
      // Every abort reached the host, the proxied ones too: nothing is generating, and far less than
      // three 4,000-token answers was generated.
      await expect.poll(() => harness.sim.stats().generationsInFlight).toBe(0);
      expect(harness.sim.stats().tokensGenerated - generated).toBeLessThan(2_000);
    }
  });
});
