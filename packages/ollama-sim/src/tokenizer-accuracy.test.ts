/**
 * The stand-in tokenizer against the real Llama 3 tokenizer (llama3-tokenizer-js, the same BPE
 * as Llama 3.2's): counts within 10% on English prose, JSON and code, and on a whole rendered
 * llama3.2 prompt, special tokens included.
 */
import llama3Tokenizer from 'llama3-tokenizer-js';
import { describe, expect, it } from 'vitest';
import { toolJson } from './template/template-json.js';
import { chatTemplate } from './template/templates.js';
import { SimTokenizer } from './tokenizer.js';

const PROSE = `When a tea kettle starts to whistle, the water inside has reached a rolling boil and the steam
forces its way through a narrow opening. The pitch rises as the pressure grows, which is why an old
kettle sounds different from a new one: scale on the spout changes the size of the hole. People who
live at altitude notice that water boils sooner there, at a lower temperature, so pasta takes longer
to cook and bread rises faster. None of this is new; cooks have adjusted recipes for mountain towns for
centuries, long before anyone could explain the physics of vapour pressure in a textbook.`;

const JSON_SAMPLE = JSON.stringify({
  orders: [
    {
      id: 'ORD-1042',
      customer: { name: 'Ada Lovelace', email: 'ada@example.com' },
      total: 129.5,
      paid: true,
    },
    { id: 'ORD-1043', customer: { name: 'Alan Turing', email: 'alan@example.org' }, total: 18, paid: false },
  ],
  page: { size: 2, next: '/v1/orders?cursor=eyJpZCI6MTA0M30', count: 2 },
  tags: ['priority', 'international', 'gift-wrap'],
});

const CODE = `export async function retry<T>(run: () => Promise<T>, attempts = 3): Promise<T> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await run();
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 2 ** attempt * 100));
    }
  }
  throw new Error(\`gave up after \${attempts} attempts\`, { cause: lastError });
}`;

const simulated = new SimTokenizer({});
const llama3 = (text: string): number => llama3Tokenizer.encode(text, { bos: false, eos: false }).length;

describe('the stand-in tokenizer', () => {
  it.each([
    ['English prose', PROSE],
    ['JSON', JSON_SAMPLE],
    ['TypeScript', CODE],
    [
      'tool definitions',
      [1, 2, 3]
        .map((n) =>
          toolJson({
            type: 'function',
            function: {
              name: `tool_${n}`,
              description: 'Look something up by its name.',
              parameters: {
                type: 'object',
                required: ['name'],
                properties: { name: { type: 'string', description: 'The name to look up' } },
              },
            },
          }),
        )
        .join('\n'),
    ],
  ])('counts %s within 10%% of Llama 3', (_kind, text) => {
    const ours = simulated.encode(text).length;
    const real = llama3(text);
    expect(Math.abs(ours - real) / real).toBeLessThanOrEqual(0.1);
  });

  it('counts a whole rendered llama3.2 prompt within 10% of Llama 3, special tokens as one each', () => {
    const template = chatTemplate('llama3.2');
    const prompt = template.render({
      messages: [
        { role: 'system', content: PROSE },
        { role: 'user', content: 'Summarise the text above in one sentence.' },
      ],
      tools: [],
      think: undefined,
    });
    const ours = template.tokenizer.encodePrompt(prompt).length;
    const real = llama3Tokenizer.encode(prompt, { bos: true, eos: false }).length;
    expect(Math.abs(ours - real) / real).toBeLessThanOrEqual(0.1);
    expect(llama3Tokenizer.encode('<|eot_id|>', { bos: false, eos: false })).toEqual([128009]);
  });
});
