import { describe, expect, it } from 'vitest';
import { answerProblem, referenceToolCalls, toolCallsKey } from './answers.js';
import type { AskRecord } from './run.js';

function ask(toolCalls: AskRecord['toolCalls'], text = 'An answer.'): AskRecord {
  return {
    toolCalls,
    text,
    firstTokenMs: 1,
    totalMs: 1,
    cpuMs: 1,
    modelCalls: 2,
    promptTokens: 10,
    promptTokensEvaluated: 10,
  };
}

const weather = { name: 'get_weather', arguments: { city: 'Paris' } };
const stock = { name: 'get_stock_price', arguments: { symbol: 'ACME' } };

describe('toolCallsKey', () => {
  it('is the same whatever the order of the calls and of the arguments', () => {
    expect(toolCallsKey([weather, stock])).toBe(toolCallsKey([stock, weather]));
    expect(toolCallsKey([{ name: 'f', arguments: { a: 1, b: [2, { c: 3, d: 4 }] } }])).toBe(
      toolCallsKey([{ name: 'f', arguments: { b: [2, { d: 4, c: 3 }], a: 1 } }]),
    );
  });

  it('differs when an argument differs', () => {
    expect(toolCallsKey([{ name: 'get_weather', arguments: { city: 'Lyon' } }])).not.toBe(
      toolCallsKey([weather]),
    );
  });
});

describe('answerProblem', () => {
  const reference = toolCallsKey([weather, stock]);

  it('accepts the expected tool calls and a final text', () => {
    expect(answerProblem(ask([stock, weather]), 'tools', reference)).toBeUndefined();
  });

  it('names a missing call, other arguments and an empty text', () => {
    expect(answerProblem(ask([weather]), 'tools', reference)).toMatch(/1 tool calls .*expected 2/);
    const lyon = { name: 'get_weather', arguments: { city: 'Lyon' } };
    expect(answerProblem(ask([lyon, stock]), 'tools', reference)).toMatch(/Lyon.*the others/);
    expect(answerProblem(ask([weather, stock], '  '), 'tools', reference)).toBe('no final text');
    expect(answerProblem(ask([weather]), 'text', '')).toMatch(/expected 0/);
  });
});

describe('referenceToolCalls', () => {
  it('is the calls most answers made', () => {
    const lyon = { name: 'get_weather', arguments: { city: 'Lyon' } };
    expect(referenceToolCalls([ask([weather, stock]), ask([lyon, stock]), ask([stock, weather])])).toBe(
      toolCallsKey([weather, stock]),
    );
  });
});
