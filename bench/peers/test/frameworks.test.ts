// Every framework of the table, set up as the bench sets it up, answers the bench's turns against
// a real simulator with the same tool calls and a final text: the harness compares like with like.
import { defaultScript, type OllamaSim, type ScriptInput, startOllamaSim } from '@lunar/ollama-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toolCallsKey } from '../src/answers.js';
import { FRAMEWORK_NAMES, FRAMEWORKS } from '../src/frameworks.js';
import { SCENARIOS } from '../src/scenario.js';

const MODEL = 'llama3.2:3b';
let sim: OllamaSim;
/** The messages of every request the simulator's model answered. */
const seen: Array<ScriptInput['messages']> = [];

beforeAll(async () => {
  sim = await startOllamaSim({
    profile: 'fast',
    preload: [MODEL],
    script: (input) => {
      seen.push(input.messages);
      return defaultScript(input);
    },
  });
});

afterAll(async () => {
  await sim.close();
});

const chats = () => sim.stats().requests['/api/chat'] ?? 0;

describe.each(FRAMEWORK_NAMES)('%s', (name) => {
  it('calls both tools with the same arguments, then answers in text; answers text without tools', async () => {
    const framework = await FRAMEWORKS[name].load({ host: sim.url, model: MODEL });
    try {
      const before = chats();
      const streamed: string[] = [];
      const tools = await framework.turn(SCENARIOS.tools.question, (text) => streamed.push(text));
      expect(toolCallsKey(tools.toolCalls)).toBe(
        'get_stock_price {"symbol":"ACME"}, get_weather {"city":"Paris"}',
      );
      expect(tools.text.length).toBeGreaterThan(0);
      expect(streamed.join('')).toBe(tools.text);
      // Two model calls; Lunar with its optimizations on also has Ollama evaluate the second
      // call's prompt while the tools run (prefillAhead).
      expect(chats() - before).toBe(name === 'lunar' || name === 'lunar-tool-cache' ? 3 : 2);

      const text = await framework.turn(SCENARIOS.text.question, () => {});
      expect(text.toolCalls).toEqual([]);
      expect(text.text.length).toBeGreaterThan(0);
    } finally {
      await framework.close();
    }
  });

  it('keeps a conversation: a follow-up is sent with the turns before it', async () => {
    const framework = await FRAMEWORKS[name].load({ host: sim.url, model: MODEL });
    try {
      await framework.turn(SCENARIOS.tools.question, () => {}, 'chat');
      framework.typing?.('chat');
      const from = seen.length;
      const followUp = await framework.turn(SCENARIOS['follow-up'].question, () => {}, 'chat');
      expect(toolCallsKey(followUp.toolCalls)).toBe(
        'get_stock_price {"symbol":"GLOBEX"}, get_weather {"city":"Tokyo"}',
      );
      const asked = seen.slice(from).find((messages) => messages.at(-1)?.content.includes('Tokyo'));
      expect(asked?.some((message) => message.content.includes('weather in Paris'))).toBe(true);
      const fresh = await framework.turn(SCENARIOS['follow-up'].question, () => {});
      expect(fresh.toolCalls).toHaveLength(2);
      expect(seen.at(-1)?.some((message) => message.content.includes('weather in Paris'))).toBe(false);
    } finally {
      await framework.close();
    }
  });
});
