import type { AgentEvent, TurnProfile } from '@lunar/agent';
import { describe, expect, it } from 'vitest';
import { EventRenderer } from './event-renderer.js';
import { createStyle, type Terminal } from './terminal.js';

function fakeTerminal(tty: boolean) {
  const written: Array<['out' | 'err', string]> = [];
  const terminal: Terminal = {
    stdout: { isTTY: tty, write: (text: string) => written.push(['out', text]) },
    stderr: { isTTY: tty, write: (text: string) => written.push(['err', text]) },
    style: createStyle(false),
    env: {},
  };
  return { terminal, written };
}

const profile: TurnProfile = {
  stages: [{ name: 'llm', round: 1, startMs: 0, durationMs: 12 }],
  toolSpans: [],
  timeToFirstTokenMs: 5,
  totalMs: 12,
  ollamaCalls: 1,
  rounds: 1,
  toolCalls: 0,
  tokens: { input: 10, output: 3 },
  ollama: { loadMs: 0, promptEvalMs: 2, evalMs: 8, totalMs: 11 },
  otel: {},
};

const turn: AgentEvent[] = [
  { type: 'stage', stage: { name: 'build-prompt', startMs: 0, durationMs: 0.2 } },
  { type: 'tool-call', round: 1, callId: 'c1', name: 'calculate', arguments: { expression: '6 * 7' } },
  { type: 'tool-result', round: 1, callId: 'c1', name: 'calculate', ok: true, output: '42', durationMs: 1 },
  { type: 'text-delta', text: 'It is ' },
  { type: 'stage', stage: { name: 'llm', round: 2, startMs: 1, durationMs: 30, cache: 'miss' } },
  { type: 'text-delta', text: '42.' },
  { type: 'done', text: 'It is 42.', profile },
];

describe('EventRenderer', () => {
  it('text to stdout, tool lines to stderr, a newline after the answer, done ends the turn', () => {
    const { terminal, written } = fakeTerminal(false);
    const renderer = new EventRenderer(terminal, { json: false, profile: false, stages: false });
    const outcomes = turn.map((event) => renderer.render(event));
    expect(outcomes.at(-1)).toBe('done');
    expect(outcomes.slice(0, -1).every((outcome) => outcome === undefined)).toBe(true);
    expect(written).toEqual([
      ['err', '→ calculate {"expression":"6 * 7"}\n'],
      ['err', '← calculate ok in 1.0 ms: 42\n'],
      ['out', 'It is '],
      ['out', '42.'],
      ['out', '\n'],
    ]);
  });

  it('on a shared terminal, a stage line that ends mid-answer waits for the end of the answer', () => {
    const { terminal, written } = fakeTerminal(true);
    const renderer = new EventRenderer(terminal, { json: false, profile: true, stages: true });
    for (const event of turn) renderer.render(event);
    const order = written.map(([stream, text]) => `${stream}:${text.split('\n')[0]}`);
    expect(order.slice(3)).toEqual([
      'out:It is ',
      'out:42.',
      'out:',
      'err:· llm #2  30 ms, cache miss',
      'err:',
    ]);
    expect(written.at(-1)![1]).toContain('first token 5.0 ms');
  });

  it('--json: one JSON line per event on stdout, nothing on stderr; errors and aborts end the turn', () => {
    const { terminal, written } = fakeTerminal(false);
    const renderer = new EventRenderer(terminal, { json: true, profile: true, stages: true });
    for (const event of turn) renderer.render(event);
    expect(written.every(([stream]) => stream === 'out')).toBe(true);
    expect(written.map(([, text]) => JSON.parse(text) as AgentEvent)).toEqual(turn);
    expect(renderer.render({ type: 'error', code: 'AGENT_ABORTED', message: 'x', profile })).toBe('aborted');
    expect(renderer.render({ type: 'error', code: 'AGENT_LLM_FAILED', message: 'x', profile })).toBe('error');
  });

  it('an error: the message on stderr; an abort: nothing more', () => {
    const { terminal, written } = fakeTerminal(false);
    const renderer = new EventRenderer(terminal, { json: false, profile: false, stages: false });
    expect(
      renderer.render({ type: 'error', code: 'AGENT_ABORTED', message: 'The turn was aborted.', profile }),
    ).toBe('aborted');
    expect(written).toEqual([]);
    renderer.render({ type: 'text-delta', text: 'Half' });
    expect(
      renderer.render({ type: 'error', code: 'AGENT_LLM_FAILED', message: 'Ollama is busy', profile }),
    ).toBe('error');
    expect(written).toEqual([
      ['out', 'Half'],
      ['out', '\n'],
      ['err', 'lunar: Ollama is busy\n'],
    ]);
  });

  it('writes no control character from an event: text, tool lines, stages, errors', () => {
    const evil = 'x\u001b]52;c;aGk=\u0007\u001b[2J\u009b31m\ry';
    const events: AgentEvent[] = [
      { type: 'stage', stage: { name: 'llm', round: 1, startMs: 0, durationMs: 1, cache: evil as 'miss' } },
      { type: 'tool-call', round: 1, callId: 'c1', name: `read${evil}`, arguments: { path: evil } },
      {
        type: 'tool-result',
        round: 1,
        callId: 'c1',
        name: 'read_file',
        ok: true,
        output: evil,
        durationMs: 1,
      },
      { type: 'text-delta', text: '\u001b' },
      { type: 'text-delta', text: `[2J${evil}\n` },
      { type: 'done', text: evil, profile },
    ];
    for (const tty of [false, true]) {
      const { terminal, written } = fakeTerminal(tty);
      const renderer = new EventRenderer(terminal, { json: false, profile: true, stages: true });
      for (const event of events) renderer.render(event);
      renderer.render({ type: 'error', code: 'AGENT_LLM_FAILED', message: evil, profile });
      const all = written.map(([, text]) => text).join('');
      // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
      expect(all).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
      expect(written.filter(([stream]) => stream === 'out').map(([, text]) => text)).toEqual([
        '[2Jx]52;c;aGk=[2J31my\n',
      ]);
      expect(all).toContain('lunar: x]52;c;aGk=[2J31my');
    }
  });

  it('--json: the escape codes stay in the data, escaped, never raw', () => {
    const { terminal, written } = fakeTerminal(false);
    const renderer = new EventRenderer(terminal, { json: true, profile: false, stages: false });
    const event: AgentEvent = { type: 'text-delta', text: 'a\u001b[2J\u009b31m\rb' };
    renderer.render(event);
    const [[, line]] = written as [[string, string]];
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
    expect(line.slice(0, -1)).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(JSON.parse(line)).toEqual(event);
  });
});
