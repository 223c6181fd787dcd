import { describe, expect, it } from 'vitest';
import type { Output } from './chunks.js';
import { seededRandom } from './random.js';
import { decodeReply } from './reply-decoder.js';
import { Timers } from './timers.js';
import { TokenClock } from './token-clock.js';
import type { ScriptReply } from './types.js';

async function run(
  reply: ScriptReply,
  numPredict = 0,
  stop: string[] = [],
  failAt = Number.POSITIVE_INFINITY,
) {
  const sent: Array<Partial<Output>> = [];
  const tokens: string[] = [];
  const clock = new TokenClock(Number.POSITIVE_INFINITY, new Timers(), new AbortController().signal);
  const decoded = await decodeReply(reply, {
    clock,
    numPredict,
    stop,
    random: seededRandom(1),
    emit: async (part) => sent.push(part) <= failAt,
    onToken: (piece) => tokens.push(piece),
  });
  return { decoded, sent, tokens };
}

describe('decodeReply', () => {
  it('sends thinking, then content, one token at a time', async () => {
    const { decoded, sent } = await run({ thinking: 'Hmm ok', content: 'Hi there' });
    expect(sent).toEqual([
      { thinking: 'Hmm' },
      { thinking: ' ok' },
      { content: 'Hi' },
      { content: ' ther' },
      { content: 'e' },
    ]);
    expect(decoded).toMatchObject({
      doneReason: 'stop',
      ended: false,
      output: { thinking: 'Hmm ok', content: 'Hi there' },
    });
  });

  it('sends a tool call only once all its tokens are decoded, and not at all past num_predict', async () => {
    const reply = { toolCalls: [{ name: 'f', arguments: { a: 1 } }] };
    const whole = await run(reply);
    expect(whole.sent).toHaveLength(1);
    expect(whole.tokens.join('')).toBe('<|tool_call|>{"name":"f","arguments":{"a":1}}');
    const cut = await run(reply, 5);
    expect(cut.sent).toEqual([]);
    expect(cut.decoded.doneReason).toBe('length');
    expect(cut.tokens).toHaveLength(5);
  });

  it('stops at a stop sequence without sending it', async () => {
    const { decoded, sent } = await run({ content: 'one two three' }, 0, [' two']);
    expect(sent).toEqual([{ content: 'one' }]);
    expect(decoded.output.content).toBe('one');
  });

  it('reports a response ended by a fault', async () => {
    const { decoded, sent } = await run({ content: 'a b c d' }, 0, [], 2);
    expect(sent).toHaveLength(3);
    expect(decoded.ended).toBe(true);
  });
});
