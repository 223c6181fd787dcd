import { describe, expect, it } from 'vitest';
import type { Output } from './chunks.js';
import { seededRandom } from './random.js';
import { decodeReply } from './reply-decoder.js';
import type { ChatTemplate } from './template/chat-template.js';
import { chatTemplate } from './template/templates.js';
import { Timers } from './timers.js';
import { TokenClock } from './token-clock.js';
import type { ScriptReply } from './types.js';

async function run(
  reply: ScriptReply,
  options: {
    template?: ChatTemplate;
    think?: boolean;
    numPredict?: number;
    stop?: string[];
    failAt?: number;
  } = {},
) {
  const template = options.template ?? chatTemplate('llama3.2');
  const sent: Array<Partial<Output>> = [];
  const tokens: number[] = [];
  const clock = new TokenClock(Number.POSITIVE_INFINITY, new Timers(), new AbortController().signal);
  const failAt = options.failAt ?? Number.POSITIVE_INFINITY;
  const decoded = await decodeReply(reply, {
    template,
    think: options.think ?? false,
    clock,
    numPredict: options.numPredict ?? 0,
    stop: options.stop ?? [],
    random: seededRandom(1),
    emit: async (part) => sent.push(part) <= failAt,
    onToken: (id) => tokens.push(id),
  });
  return { decoded, sent, tokens, text: template.tokenizer.decode(tokens) };
}

describe('decodeReply', () => {
  it('streams one token per chunk, and qwen3 thinks inside its think tags, which are never sent', async () => {
    const { decoded, sent, text } = await run(
      { thinking: 'Hmm ok', content: 'Hi there' },
      { template: chatTemplate('qwen3'), think: true },
    );
    expect(sent).toEqual([
      { thinking: 'Hmm' },
      { thinking: ' ok' },
      { content: 'Hi' },
      { content: ' there' },
    ]);
    expect(text).toBe('<think>\nHmm ok\n</think>\n\nHi there');
    expect(decoded).toMatchObject({
      doneReason: 'stop',
      ended: false,
      output: { thinking: 'Hmm ok', content: 'Hi there' },
    });
  });

  it('writes a tool call as the model does and sends it once all its tokens are decoded', async () => {
    const reply = { toolCalls: [{ name: 'f', arguments: { b: 'x', a: 1 } }] };
    const llama = await run(reply);
    expect(llama.sent).toHaveLength(1);
    expect(llama.text).toBe('{"name": "f", "parameters": {"b": "x", "a": 1}}');
    const qwen = await run(reply, { template: chatTemplate('qwen3'), think: false });
    expect(qwen.text).toBe('<tool_call>\n{"name": "f", "arguments": {"b": "x", "a": 1}}\n</tool_call>');
    const cut = await run(reply, { numPredict: 5 });
    expect(cut.sent).toEqual([]);
    expect(cut.decoded.doneReason).toBe('length');
    expect(cut.tokens).toHaveLength(5);
  });

  it('holds back an incomplete character: a token that ends inside one sends nothing', async () => {
    const { sent, tokens } = await run({ content: 'ok 🚀' });
    expect(sent.map((part) => part.content).join('')).toBe('ok 🚀');
    expect(sent.length).toBeLessThan(tokens.length);
  });

  it('tokenizes a long reply a slice at a time, into the tokens of the whole text', async () => {
    const content = Array.from({ length: 3000 }, (_, index) => `word${index % 7},  again\n`).join(' ');
    const { sent, tokens } = await run({ content });
    const whole = chatTemplate('llama3.2').tokenizer.encode(content);
    expect(tokens).toEqual(whole);
    expect(sent.map((part) => part.content).join('')).toBe(content);
  });

  it('stops at a stop sequence without sending it', async () => {
    const { decoded, sent } = await run({ content: 'one two three' }, { stop: [' two'] });
    expect(sent).toEqual([{ content: 'one' }]);
    expect(decoded.output.content).toBe('one');
  });

  it('reports a response ended by a fault', async () => {
    const { decoded, sent } = await run({ content: 'a b c d' }, { failAt: 2 });
    expect(sent).toHaveLength(3);
    expect(decoded.ended).toBe(true);
  });
});
