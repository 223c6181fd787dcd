import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { call, flush, RunningCounter, stuckTool, waitTool, workFor } from '../test/helpers.js';
import {
  defineTool,
  isToolsError,
  runTools,
  type ToolCallError,
  ToolRegistry,
  type ToolResult,
  ToolsError,
} from './index.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function failureOf(result: ToolResult | undefined): ToolCallError {
  if (!result || result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result)}`);
  return result.error;
}

describe('runTools: order and concurrency', () => {
  it('returns results in call order whatever order they finish in', async () => {
    const registry = new ToolRegistry([waitTool('wait')]);
    const delays = [70, 10, 90, 30, 50, 0, 80, 20, 60, 40];
    const finished: number[] = [];
    const running = runTools(
      delays.map((ms, index) => call('wait', { ms, value: `#${index}` })),
      registry,
      { concurrency: Number.POSITIVE_INFINITY, onResult: (result) => finished.push(result.index) },
    );
    await vi.advanceTimersByTimeAsync(100);
    const results = await running;
    expect(results.map((result) => result.ok && result.value)).toEqual(
      delays.map((_ms, index) => `#${index}`),
    );
    expect(results.map((result) => result.index)).toEqual(delays.map((_ms, index) => index));
    expect(finished).toEqual([5, 1, 7, 3, 9, 4, 8, 0, 6, 2]);
  });

  it('never runs more than `concurrency` tools at once, and uses all of it', async () => {
    const counter = new RunningCounter();
    const registry = new ToolRegistry([waitTool('wait', { counter })]);
    const calls = Array.from({ length: 25 }, (_unused, index) =>
      call('wait', { ms: ((index * 37) % 11) * 10 }),
    );
    const running = runTools(calls, registry, { concurrency: 3 });
    await vi.runAllTimersAsync();
    const results = await running;
    expect(results.every((result) => result.ok)).toBe(true);
    expect(counter.started).toHaveLength(25);
    expect(counter.max).toBe(3);
  });

  it('runs all calls at once with no limit, so five 100 ms tools take 100 ms', async () => {
    const registry = new ToolRegistry([waitTool('wait')]);
    const calls = Array.from({ length: 5 }, () => call('wait', { ms: 100 }));
    const running = runTools(calls, registry, { concurrency: Number.POSITIVE_INFINITY });
    await vi.advanceTimersByTimeAsync(100);
    const results = await running;
    expect(results.map((result) => result.durationMs)).toEqual([100, 100, 100, 100, 100]);
  });
});

describe('runTools: every failure is a result', () => {
  const boom = defineTool({
    name: 'boom',
    description: 'Always fails',
    parameters: z.object({ sync: z.boolean().default(false) }),
    execute: ({ sync }) => {
      if (sync) throw new RangeError('thrown at once');
      return Promise.reject(new Error('disk full'));
    },
  });
  const weather = defineTool({
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: z.object({ city: z.string(), days: z.number().int().max(7).default(1) }),
    execute: ({ city, days }) => ({ city, days, sky: 'clear' }),
  });

  it('gives each error code without touching the other calls', async () => {
    const registry = new ToolRegistry([boom, weather, stuckTool('stuck', [], 50)]);
    const results = await runAndAdvance(
      [
        call('get_weather', { city: 'Oslo' }, 'a'),
        call('nope', {}, 'b'),
        call('get_weather', { city: 7, days: 9 }, 'c'),
        call('boom', {}, 'd'),
        call('boom', { sync: true }, 'e'),
        call('stuck', {}, 'f'),
        call('get_weather', { city: 'Lima', days: 2 }, 'g'),
      ],
      registry,
      60,
    );
    expect(results.map((result) => (result.ok ? 'ok' : result.error.code))).toEqual([
      'ok',
      'TOOLS_NOT_FOUND',
      'TOOLS_INVALID_ARGUMENTS',
      'TOOLS_FAILED',
      'TOOLS_FAILED',
      'TOOLS_TIMEOUT',
      'ok',
    ]);
    // The same outcome in words, for a user's line ("failed (timeout)").
    expect(results.map((result) => (result.ok ? 'ok' : result.kind))).toEqual([
      'ok',
      'not-found',
      'invalid-arguments',
      'failed',
      'failed',
      'timeout',
      'ok',
    ]);
    expect(results.map((result) => result.callId)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    expect(results[0]).toMatchObject({
      ok: true,
      value: { city: 'Oslo', days: 1, sky: 'clear' },
      started: true,
    });
    expect(results[0]?.output).toBe('{"city":"Oslo","days":1,"sky":"clear"}');
    expect(results[6]).toMatchObject({ ok: true, value: { city: 'Lima', days: 2, sky: 'clear' } });

    expect(results[1]?.output).toBe(
      'Error: There is no tool named "nope". Available tools: boom, get_weather, stuck.',
    );
    expect(results[2]?.output).toBe(
      'Error: Invalid arguments for get_weather: city: Invalid input: expected string, received number; ' +
        'days: Too big: expected number to be <=7. Fix them and call get_weather again.',
    );
    expect(failureOf(results[2]).cause).toBeInstanceOf(z.ZodError);
    expect(results[3]?.output).toBe('Error: boom failed: disk full');
    expect(failureOf(results[4]).cause).toBeInstanceOf(RangeError);
    expect(results[5]?.output).toBe(
      'Error: stuck timed out after 50 ms and was told to stop; it may still be running.',
    );
    for (const result of results) {
      if (!result.ok) {
        expect(result.error).toBeInstanceOf(ToolsError);
        expect(result.error.name).toBe('ToolsError');
        expect(isToolsError(result.error, result.error.code)).toBe(true);
        expect(isToolsError(result.error, 'TOOLS_RUNNER_CLOSED')).toBe(false);
      }
    }
    expect(results.filter((result) => result.started).length).toBe(5);
  });

  it('says so when no tools are registered or the call names none', async () => {
    const results = await runTools([call('x'), { function: {} } as never], new ToolRegistry());
    expect(results.map((result) => result.output)).toEqual([
      'Error: There is no tool named "x". No tools are available.',
      'Error: The call names no tool. No tools are available.',
    ]);
  });

  it('runs OpenAI-style calls whose arguments are a JSON string, and reports bad JSON', async () => {
    const results = await runTools(
      [
        { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
        { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city": "Ro' } },
      ],
      new ToolRegistry([weather]),
    );
    expect(results[0]).toMatchObject({
      ok: true,
      callId: 'call_1',
      value: { city: 'Rome', days: 1, sky: 'clear' },
    });
    expect(failureOf(results[1]).code).toBe('TOOLS_INVALID_ARGUMENTS');
    expect(results[1]?.output).toMatch(/^Error: Invalid arguments for get_weather: not valid JSON/);
  });

  it('fails a call whose value JSON cannot hold', async () => {
    const big = defineTool({
      name: 'big',
      description: 'A bigint',
      parameters: z.object({}),
      execute: () => 10n,
    });
    const [result] = await runTools([call('big')], new ToolRegistry([big]));
    expect(failureOf(result).code).toBe('TOOLS_FAILED');
    expect(result?.output).toMatch(/^Error: big returned a value that cannot be written as JSON/);
  });

  it('checks async refinements, and fails the call when a refinement throws', async () => {
    const strict = defineTool({
      name: 'strict',
      description: 'Async check',
      parameters: z.object({ n: z.number() }).refine(async ({ n }) => {
        if (n < 0) throw new Error('refinement crashed');
        return n % 2 === 0;
      }, 'n must be even'),
      execute: ({ n }) => n * 2,
    });
    const results = await runTools(
      [call('strict', { n: 4 }), call('strict', { n: 3 }), call('strict', { n: -1 })],
      new ToolRegistry([strict]),
    );
    expect(results[0]).toMatchObject({ ok: true, value: 8 });
    expect(results[1]?.output).toContain('(arguments): n must be even');
    expect(failureOf(results[2]).code).toBe('TOOLS_FAILED');
    expect(results[2]?.output).toContain('refinement crashed');
  });

  it('cuts long outputs at maxOutputChars with a note, and keeps the value whole', async () => {
    const long = defineTool({
      name: 'long',
      description: 'Long',
      parameters: z.object({}),
      execute: () => 'y'.repeat(20_000),
    });
    const [result] = await runTools([call('long')], new ToolRegistry([long]), { maxOutputChars: 1_000 });
    expect(result?.output.length).toBeLessThanOrEqual(1_000);
    expect(result?.output).toMatch(/\n\[output cut: showing the first \d+ of 20,000 characters\]$/);
    expect(result?.ok && (result.value as string).length).toBe(20_000);
  });
});

describe('runTools: timeouts that really cancel', () => {
  it('answers at the deadline even when the tool ignores its signal, and aborts that signal', async () => {
    const seen: AbortSignal[] = [];
    const registry = new ToolRegistry([stuckTool('stuck', seen)]);
    let settled: ToolResult[] | undefined;
    void runTools([call('stuck')], registry, { timeoutMs: 1_000 }).then((results) => {
      settled = results;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(settled).toBeUndefined();
    expect(seen[0]?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(settled).toHaveLength(1);
    const [result] = settled ?? [];
    expect(failureOf(result).code).toBe('TOOLS_TIMEOUT');
    expect(result?.durationMs).toBe(1_000);
    expect(seen[0]?.aborted).toBe(true);
    expect(seen[0]?.reason).toBeInstanceOf(DOMException);
    expect(seen[0]?.reason).toMatchObject({ name: 'TimeoutError' });
    expect(failureOf(result).cause).toBe(seen[0]?.reason);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('gives a tool that reads its signal only after the deadline a signal already aborted', async () => {
    let read: AbortSignal | undefined;
    let seenId = '';
    const lazy = defineTool({
      name: 'lazy',
      description: 'Looks at its signal late',
      parameters: z.object({}),
      execute: async (_args, context) => {
        seenId = context.callId;
        await workFor(100);
        read = context.signal;
      },
    });
    const running = runTools([call('lazy', {}, 'call_lazy0001')], new ToolRegistry([lazy]), {
      timeoutMs: 50,
    });
    await vi.advanceTimersByTimeAsync(50);
    expect(failureOf((await running)[0]).code).toBe('TOOLS_TIMEOUT');
    await vi.advanceTimersByTimeAsync(50);
    expect(seenId).toBe('call_lazy0001');
    expect(read?.aborted).toBe(true);
    expect(read?.reason).toMatchObject({ name: 'TimeoutError', message: 'lazy timed out after 50 ms' });
  });

  it("lets a tool's own timeoutMs win over the run's", async () => {
    const registry = new ToolRegistry([stuckTool('quick', [], 10), stuckTool('default')]);
    const running = runTools([call('quick'), call('default')], registry, { timeoutMs: 500 });
    await vi.advanceTimersByTimeAsync(500);
    const results = await running;
    expect(results.map((result) => result.durationMs)).toEqual([10, 500]);
  });

  it('ignores what a timed-out tool does later', async () => {
    let finish: (value: string) => void = () => {};
    const late = defineTool({
      name: 'late',
      description: 'Answers after its deadline',
      timeoutMs: 10,
      parameters: z.object({}),
      execute: () =>
        new Promise<string>((resolve) => {
          finish = resolve;
        }),
    });
    const onResult = vi.fn();
    const running = runTools([call('late')], new ToolRegistry([late]), { onResult });
    await vi.advanceTimersByTimeAsync(10);
    const [result] = await running;
    finish('too late');
    await flush();
    expect(failureOf(result).code).toBe('TOOLS_TIMEOUT');
    expect(onResult).toHaveBeenCalledTimes(1);
  });

  it('leaves no timer behind after successes, failures, timeouts and aborts', async () => {
    const registry = new ToolRegistry([waitTool('wait'), stuckTool('stuck', [], 20)]);
    const controller = new AbortController();
    const first = runTools([call('wait', { ms: 5 }), call('stuck'), call('nope')], registry);
    await flush();
    expect(vi.getTimerCount()).toBeGreaterThan(0);
    await vi.advanceTimersByTimeAsync(20);
    await first;
    expect(vi.getTimerCount()).toBe(0);

    const second = runTools([call('wait', { ms: 1_000 }), call('stuck')], registry, {
      signal: controller.signal,
    });
    await flush();
    controller.abort();
    await second;
    expect(vi.getTimerCount()).toBe(0);
  });

  it('creates no timer when the timeout is Infinity', async () => {
    const registry = new ToolRegistry([stuckTool('stuck')]);
    const controller = new AbortController();
    const running = runTools([call('stuck')], registry, {
      timeoutMs: Number.POSITIVE_INFINITY,
      signal: controller.signal,
    });
    await flush();
    expect(vi.getTimerCount()).toBe(0);
    controller.abort();
    expect(failureOf((await running)[0]).code).toBe('TOOLS_ABORTED');
  });
});

describe('runTools: the outer signal', () => {
  it('aborts every running tool and returns at once, the calls not started marked not run', async () => {
    const seen: AbortSignal[] = [];
    const counter = new RunningCounter();
    const registry = new ToolRegistry([stuckTool('stuck', seen), waitTool('wait', { counter })]);
    const controller = new AbortController();
    const removeListener = vi.spyOn(controller.signal, 'removeEventListener');
    const running = runTools([call('stuck'), call('wait', { ms: 500 }), call('wait', { ms: 5 })], registry, {
      concurrency: 2,
      signal: controller.signal,
    });
    await flush();
    expect(counter.running).toBe(1);
    const reason = new Error('user pressed Ctrl-C');
    controller.abort(reason);
    const results = await running;
    expect(results.map((result) => (result.ok ? 'ok' : result.error.code))).toEqual([
      'TOOLS_ABORTED',
      'TOOLS_ABORTED',
      'TOOLS_ABORTED',
    ]);
    expect(results.map((result) => result.started)).toEqual([true, true, false]);
    expect(results[0]?.output).toBe(
      'Error: stuck was cancelled while running (user pressed Ctrl-C); it may have done part of its work.',
    );
    expect(results[2]?.output).toBe('Error: wait was not run: user pressed Ctrl-C.');
    expect(seen[0]?.reason).toBe(reason);
    expect(counter.running).toBe(0);
    expect(counter.started).toHaveLength(1);
    expect(removeListener).toHaveBeenCalledWith('abort', expect.any(Function));
    expect(vi.getTimerCount()).toBe(0);
  });

  it('runs nothing when the signal is already aborted', async () => {
    const counter = new RunningCounter();
    const registry = new ToolRegistry([waitTool('wait', { counter })]);
    const results = await runTools([call('wait', { ms: 1 }), call('wait', { ms: 1 })], registry, {
      signal: AbortSignal.abort(),
    });
    expect(results.map((result) => result.ok || result.error.code)).toEqual([
      'TOOLS_ABORTED',
      'TOOLS_ABORTED',
    ]);
    expect(results[0]?.output).toBe('Error: wait was not run: This operation was aborted.');
    expect(counter.started).toEqual([]);
  });
});

describe('runTools: callbacks and context', () => {
  it('calls onStart with the parsed arguments and the call id, and ignores callbacks that throw', async () => {
    const registry = new ToolRegistry([waitTool('wait')]);
    const starts: unknown[] = [];
    const running = runTools([call('wait', { ms: 1 }, 'id-1'), call('wait', { ms: 1 })], registry, {
      onStart: (start) => {
        starts.push(start);
        throw new Error('observer bug');
      },
      onResult: () => {
        throw new Error('observer bug');
      },
    });
    await vi.advanceTimersByTimeAsync(1);
    const results = await running;
    expect(results.every((result) => result.ok)).toBe(true);
    expect(starts[0]).toEqual({ index: 0, callId: 'id-1', name: 'wait', arguments: { ms: 1 } });
    expect(starts[1]).toMatchObject({ index: 1, callId: expect.stringMatching(/^call_[a-z0-9]{8}$/) });
    expect(results[1]?.callId).toBe((starts[1] as { callId: string }).callId);
  });

  it('throws TypeErrors for bad arguments', () => {
    const registry = new ToolRegistry();
    expect(() => runTools(null as never, registry)).toThrow(TypeError);
    expect(() => runTools([], {} as never)).toThrow('Expected `registry` to be a ToolRegistry');
    expect(() => runTools([], registry, { concurrency: -1 })).toThrow(/`concurrency`/);
    expect(() => runTools([null as never], registry)).toThrow(/tool call 0/);
  });
});

async function runAndAdvance(
  calls: Parameters<typeof runTools>[0],
  registry: ToolRegistry,
  ms: number,
): Promise<ToolResult[]> {
  const running = runTools(calls, registry);
  await vi.advanceTimersByTimeAsync(ms);
  return running;
}
