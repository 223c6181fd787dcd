// Every framework of the table, set up as the bench sets it up, answers the bench's turns against
// a real simulator with the same tool calls and a final text: the harness compares like with like.
import { type OllamaSim, startOllamaSim } from '@lunar/ollama-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toolCallsKey } from '../src/answers.js';
import { FRAMEWORK_NAMES, FRAMEWORKS } from '../src/frameworks.js';
import { SCENARIOS } from '../src/scenario.js';

const MODEL = 'llama3.2:3b';
let sim: OllamaSim;

beforeAll(async () => {
  sim = await startOllamaSim({ profile: 'fast', preload: [MODEL] });
});

afterAll(async () => {
  await sim.close();
});

describe.each(FRAMEWORK_NAMES)('%s', (name) => {
  it('calls both tools with the same arguments, then answers in text; answers text without tools', async () => {
    const framework = await FRAMEWORKS[name].load({ host: sim.url, model: MODEL });
    try {
      const before = sim.stats().requests['/api/chat'] ?? 0;
      const streamed: string[] = [];
      const tools = await framework.turn(SCENARIOS.tools.question, (text) => streamed.push(text));
      expect(toolCallsKey(tools.toolCalls)).toBe(
        'get_stock_price {"symbol":"ACME"}, get_weather {"city":"Paris"}',
      );
      expect(tools.text.length).toBeGreaterThan(0);
      expect(streamed.join('')).toBe(tools.text);
      expect((sim.stats().requests['/api/chat'] ?? 0) - before).toBe(2);

      const text = await framework.turn(SCENARIOS.text.question, () => {});
      expect(text.toolCalls).toEqual([]);
      expect(text.text.length).toBeGreaterThan(0);
    } finally {
      await framework.close();
    }
  });
});
