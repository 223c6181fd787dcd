import { describe, expect, it } from 'vitest';
import { isOllamaSimError } from './errors.js';
import { checkFault, FaultQueue, MAX_FAULT_RULES, parseFaultHeader, validateFaultRule } from './faults.js';

describe('faults', () => {
  it('accepts each kind and rejects bad fields with a sentence', () => {
    expect(checkFault({ type: 'drop', afterChunks: 2 })).toEqual({ type: 'drop', afterChunks: 2 });
    expect(checkFault({ type: 'stall', ms: 10 })).toEqual({ type: 'stall', ms: 10 });
    expect(checkFault({ type: 'status', status: 500, message: 'boom' })).toEqual({
      type: 'status',
      status: 500,
      message: 'boom',
    });
    expect(checkFault({ type: 'error-line', afterChunks: -1 })).toMatch(
      /afterChunks must be an integer >= 0/,
    );
    expect(checkFault({ type: 'nope' })).toMatch(/fault.type must be/);
    expect(checkFault({ type: 'drop', afterChunk: 2 })).toBe(
      'unknown fault key "afterChunk"; expected one of type, afterChunks, ms, status, message',
    );
    expect(checkFault({ type: 'status', status: 200 })).toMatch(/from 400 to 599, got 200/);
  });

  it('answers a bad header with a 400', () => {
    let thrown: unknown;
    try {
      parseFaultHeader('{');
    } catch (error) {
      thrown = error;
    }
    expect(isOllamaSimError(thrown, 'OLLAMA_SIM_HTTP') && thrown.status).toBe(400);
    expect(() => parseFaultHeader('{"type":"drop"}')).toThrow(
      /invalid x-ollama-sim-fault header: fault.afterChunks/,
    );
  });

  it('validates rules with TypeErrors naming the place', () => {
    expect(() =>
      validateFaultRule({ fault: { type: 'drop', afterChunks: 1 }, time: 2 }, 'faults[0]'),
    ).toThrow('Unknown option `faults[0].time`; expected one of fault, route, times');
    expect(() =>
      validateFaultRule({ fault: { type: 'drop', afterChunks: 1 }, times: 0 }, 'faults[0]'),
    ).toThrow(new TypeError('faults[0].times must be an integer >= 1 or Infinity, got 0'));
    expect(() =>
      validateFaultRule({ fault: { type: 'drop', afterChunks: 1 }, route: 'api' }, 'rule'),
    ).toThrow(TypeError);
  });

  it('uses rules in order, by route, as many times as asked', () => {
    const queue = new FaultQueue();
    queue.add({ fault: { type: 'drop', afterChunks: 0 }, route: '/api/chat', times: 2 });
    queue.add({ fault: { type: 'stall', ms: 1 } });
    expect(queue.take('/api/generate')).toEqual({ type: 'stall', ms: 1 });
    expect(queue.take('/api/chat')).toEqual({ type: 'drop', afterChunks: 0 });
    expect(queue.take('/api/chat')).toEqual({ type: 'drop', afterChunks: 0 });
    expect(queue.take('/api/chat')).toBeUndefined();
  });

  it('bounds the number of waiting rules', () => {
    const queue = new FaultQueue();
    for (let index = 0; index < MAX_FAULT_RULES; index++) queue.add({ fault: { type: 'stall', ms: 0 } });
    expect(() => queue.add({ fault: { type: 'stall', ms: 0 } })).toThrow(RangeError);
    queue.clear();
    expect(queue.size).toBe(0);
  });
});
