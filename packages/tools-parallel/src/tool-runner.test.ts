import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { call, flush, RunningCounter, stuckTool, waitTool, workFor } from '../test/helpers.js';
import {
  defineTool,
  isToolsError,
  runTools,
  ToolRegistry,
  type ToolResult,
  ToolRunner,
  ToolsError,
} from './index.js';

function setup(concurrency = 8) {
  const counter = new RunningCounter();
  const registry = new ToolRegistry([
    waitTool('search', { readOnly: true, counter }),
    waitTool('send_email', { counter }),
  ]);
  const runner = new ToolRunner(registry, { concurrency });
  return { counter, runner };
}

function codes(results: ToolResult[]): string[] {
  return results.map((result) => (result.ok ? 'ok' : result.error.code));
}

describe('ToolRunner', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('starts read-only tools as they are added, and the others only at commit', async () => {
    const { counter, runner } = setup();
    runner.add(call('search', { ms: 100 }, 'r1'));
    runner.add(call('send_email', { ms: 10 }, 'w1'));
    runner.add(call('search', { ms: 100 }, 'r2'));
    await vi.advanceTimersByTimeAsync(50);
    expect(counter.started).toEqual(['r1', 'r2']);
    runner.commit();
    await flush();
    expect(counter.started).toEqual(['r1', 'r2', 'w1']);
    await vi.advanceTimersByTimeAsync(50);
    const results = await runner.results();
    expect(results.map((result) => result.callId)).toEqual(['r1', 'w1', 'r2']);
    expect(codes(results)).toEqual(['ok', 'ok', 'ok']);
    // The read-only calls ran while the model was still answering; the write waited for commit.
    expect(results.map((result) => result.durationMs)).toEqual([100, 10, 100]);
  });

  it('never runs a write when the answer was cut off: cancel says it was not run', async () => {
    const { counter, runner } = setup();
    runner.add(call('search', { ms: 100 }, 'r1'));
    runner.add(call('send_email', { ms: 10 }, 'w1'));
    await vi.advanceTimersByTimeAsync(20);
    runner.cancel("the model's answer was cut off");
    const results = await runner.results();
    expect(counter.started).toEqual(['r1']);
    expect(codes(results)).toEqual(['TOOLS_ABORTED', 'TOOLS_ABORTED']);
    expect(results.map((result) => result.started)).toEqual([true, false]);
    expect(results[1]?.output).toBe("Error: send_email was not run: the model's answer was cut off.");
    expect(results[0]?.output).toBe(
      "Error: search was cancelled while running (the model's answer was cut off); it may have done part of its work.",
    );
    await vi.runAllTimersAsync();
    expect(counter.started).toEqual(['r1']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('shares one concurrency limit between eager and committed calls', async () => {
    const { counter, runner } = setup(2);
    for (let index = 0; index < 4; index++) runner.add(call('search', { ms: 30 + index }));
    for (let index = 0; index < 4; index++) runner.add(call('send_email', { ms: 5 + index }));
    await flush();
    expect(counter.running).toBe(2);
    runner.commit();
    await vi.runAllTimersAsync();
    const results = await runner.results();
    expect(codes(results)).toEqual(Array(8).fill('ok'));
    expect(counter.max).toBe(2);
    expect(counter.started).toHaveLength(8);
  });

  it('returns the call id from add and settles bad calls at once, before commit', async () => {
    const onResult = vi.fn();
    const runner = new ToolRunner(new ToolRegistry([waitTool('search', { readOnly: true })]), { onResult });
    expect(runner.add(call('search', { ms: 1 }, 'mine'))).toBe('mine');
    expect(runner.add(call('search', { ms: 1 }))).toMatch(/^call_[a-z0-9]{8}$/);
    runner.add(call('unknown'));
    expect(onResult).toHaveBeenCalledTimes(1);
    expect(onResult.mock.calls[0]?.[0]).toMatchObject({
      index: 2,
      ok: false,
      error: { code: 'TOOLS_NOT_FOUND' },
    });
    expect(runner.size).toBe(3);
    runner.commit();
    await vi.advanceTimersByTimeAsync(1);
    expect(codes(await runner.results())).toEqual(['ok', 'ok', 'TOOLS_NOT_FOUND']);
  });

  it('refuses calls after commit or cancel with a TOOLS_RUNNER_CLOSED ToolsError; a second close does nothing', async () => {
    const { runner } = setup();
    runner.commit();
    runner.commit();
    runner.cancel();
    let thrown: unknown;
    try {
      runner.add(call('search', { ms: 1 }));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ToolsError);
    expect(isToolsError(thrown, 'TOOLS_RUNNER_CLOSED')).toBe(true);
    expect(await runner.results()).toEqual([]);
    const { runner: cancelled } = setup();
    cancelled.cancel();
    cancelled.commit();
    expect(() => cancelled.add(call('search', { ms: 1 }))).toThrow(/already cancelled/);
  });

  it('lets cancel after commit abort what is running', async () => {
    const { runner } = setup();
    runner.add(call('send_email', { ms: 1_000 }));
    runner.commit();
    await vi.advanceTimersByTimeAsync(10);
    runner.cancel('the user left');
    expect((await runner.results())[0]?.output).toBe(
      'Error: send_email was cancelled while running (the user left); it may have done part of its work.',
    );
    expect(vi.getTimerCount()).toBe(0);
  });

  it('yields results in finishing order, to every iterator, and ends', async () => {
    const { runner } = setup();
    runner.add(call('search', { ms: 30 }, 'slow'));
    runner.add(call('search', { ms: 10 }, 'fast'));
    runner.add(call('send_email', { ms: 15 }, 'write'));
    const collect = async () => {
      const ids: string[] = [];
      for await (const result of runner) ids.push(result.callId);
      return ids;
    };
    const first = collect();
    const second = collect();
    runner.commit();
    await vi.advanceTimersByTimeAsync(30);
    expect(await first).toEqual(['fast', 'write', 'slow']);
    expect(await second).toEqual(['fast', 'write', 'slow']);
    const late: string[] = [];
    for await (const result of runner) late.push(result.callId);
    expect(late).toEqual(['fast', 'write', 'slow']);
  });

  it('runs at most maxCalls calls; the ones past it are not run', async () => {
    const counter = new RunningCounter();
    const registry = new ToolRegistry([waitTool('search', { readOnly: true, counter })]);
    const calls = Array.from({ length: 5 }, () => call('search', { ms: 1 }));
    const running = runTools(calls, registry, { maxCalls: 3 });
    await vi.advanceTimersByTimeAsync(1);
    const results = await running;
    expect(codes(results)).toEqual(['ok', 'ok', 'ok', 'TOOLS_ABORTED', 'TOOLS_ABORTED']);
    expect(results[4]?.output).toBe('Error: search was not run: more than 3 tool calls in one answer.');
    expect(counter.started).toHaveLength(3);
  });

  it('after the outer signal aborts, settles new calls as not run and still needs commit or cancel', async () => {
    const counter = new RunningCounter();
    const registry = new ToolRegistry([waitTool('search', { readOnly: true, counter })]);
    const controller = new AbortController();
    const runner = new ToolRunner(registry, { signal: controller.signal });
    runner.add(call('search', { ms: 100 }));
    await flush();
    controller.abort('stop');
    runner.add(call('search', { ms: 100 }));
    let settled = false;
    void runner.results().then(() => {
      settled = true;
    });
    await flush();
    expect(settled).toBe(false);
    runner.commit();
    const results = await runner.results();
    expect(results.map((result) => result.output)).toEqual([
      'Error: search was cancelled while running (stop); it may have done part of its work.',
      'Error: search was not run: stop.',
    ]);
    expect(counter.started).toHaveLength(1);
  });

  it('settles a call cancelled right after add as not run, though a worker already took it', async () => {
    const { counter, runner } = setup();
    runner.add(call('search', { ms: 5 }));
    runner.cancel();
    const results = await runner.results();
    expect(results[0]?.output).toBe('Error: search was not run: the run was cancelled.');
    await flush();
    expect(counter.started).toEqual([]);
  });

  it('settles a call cancelled while its arguments are being checked as not run', async () => {
    const execute = vi.fn();
    const slowCheck = defineTool({
      name: 'slow_check',
      description: 'Its arguments take a while to check',
      readOnly: true,
      parameters: z.object({ id: z.string() }).refine(async () => {
        await workFor(50);
        return true;
      }),
      execute,
    });
    const runner = new ToolRunner(new ToolRegistry([slowCheck]));
    runner.add(call('slow_check', { id: 'a' }));
    await vi.advanceTimersByTimeAsync(10);
    runner.cancel();
    const [result] = await runner.results();
    expect(result).toMatchObject({ ok: false, started: false, error: { code: 'TOOLS_ABORTED' } });
    await vi.advanceTimersByTimeAsync(50);
    expect(execute).not.toHaveBeenCalled();
  });
});

/** A read-only tool whose arguments pass an async refinement `check` (a database or network lookup). */
function checkedTool(check: () => Promise<boolean>, execute: () => Promise<string> = async () => 'found') {
  return defineTool({
    name: 'lookup',
    description: 'Looks a user up, after checking the id exists',
    readOnly: true,
    parameters: z.object({ id: z.string() }).refine(check, 'unknown id'),
    execute,
  });
}

/** A check that never answers, like a database call on a dead connection. */
const hangs = () => new Promise<boolean>(() => {});

describe('ToolRunner: the deadline covers the arguments check', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('times out a call whose async refinement hangs, at the deadline, without running the tool', async () => {
    const execute = vi.fn(async () => 'found');
    let settled: ToolResult[] | undefined;
    void runTools([call('lookup', { id: 'u1' })], new ToolRegistry([checkedTool(hangs, execute)]), {
      timeoutMs: 1_000,
    }).then((results) => {
      settled = results;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(settled).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    const [result] = settled ?? [];
    expect(result).toMatchObject({
      ok: false,
      started: false,
      durationMs: 1_000,
      error: { code: 'TOOLS_TIMEOUT' },
    });
    expect(result?.output).toBe('Error: lookup was not run: checking its arguments timed out after 1000 ms.');
    expect(result?.ok === false && result.error.cause).toMatchObject({
      name: 'TimeoutError',
      message: 'lookup: checking its arguments timed out after 1000 ms',
    });
    expect(execute).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("frees a hanging check's concurrency slot at the deadline, so the next call runs", async () => {
    const counter = new RunningCounter();
    const registry = new ToolRegistry([checkedTool(hangs), waitTool('search', { readOnly: true, counter })]);
    const runner = new ToolRunner(registry, { concurrency: 1, timeoutMs: 100 });
    runner.add(call('lookup', { id: 'u1' }));
    runner.add(call('search', { ms: 5 }, 's1'));
    runner.commit();
    await vi.advanceTimersByTimeAsync(99);
    expect(counter.started).toEqual([]);
    await vi.advanceTimersByTimeAsync(6);
    expect(counter.started).toEqual(['s1']);
    expect(codes(await runner.results())).toEqual(['TOOLS_TIMEOUT', 'ok']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('counts the check and the run against one deadline, and drops a check that answers late', async () => {
    const execute = vi.fn(() => workFor(50).then(() => 'found'));
    /** The output of one call whose check takes `checkMs`, under a 100 ms deadline. */
    const outputWhenCheckTakes = async (checkMs: number) => {
      const check = () => workFor(checkMs).then(() => true);
      const running = runTools(
        [call('lookup', { id: 'u1' })],
        new ToolRegistry([checkedTool(check, execute)]),
        {
          timeoutMs: 100,
        },
      );
      await vi.advanceTimersByTimeAsync(100);
      return (await running)[0]?.output;
    };
    expect(await outputWhenCheckTakes(80)).toBe(
      'Error: lookup timed out after 100 ms and was told to stop; it may still be running.',
    );
    expect(execute).toHaveBeenCalledTimes(1);
    expect(await outputWhenCheckTakes(150)).toBe(
      'Error: lookup was not run: checking its arguments timed out after 100 ms.',
    );
    await vi.advanceTimersByTimeAsync(200);
    expect(execute).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('lets the outer signal end a hanging check at once: not run, its timer cleared', async () => {
    const controller = new AbortController();
    const running = runTools([call('lookup', { id: 'u1' })], new ToolRegistry([checkedTool(hangs)]), {
      timeoutMs: 30_000,
      signal: controller.signal,
    });
    await vi.advanceTimersByTimeAsync(10);
    expect(vi.getTimerCount()).toBe(1);
    controller.abort('the user left');
    const [result] = await running;
    expect(result).toMatchObject({ ok: false, started: false, error: { code: 'TOOLS_ABORTED' } });
    expect(result?.output).toBe('Error: lookup was not run: the user left.');
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('ToolRunner with real timers', () => {
  it('leaves no active timer handle behind', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
    const before = timers();
    const registry = new ToolRegistry([waitTool('wait'), stuckTool('stuck', [], 20)]);
    const results = await runTools(
      [call('wait', { ms: 1 }), call('stuck'), call('wait', { ms: 2 }), call('missing')],
      registry,
      { timeoutMs: 5_000 },
    );
    expect(codes(results)).toEqual(['ok', 'TOOLS_TIMEOUT', 'ok', 'TOOLS_NOT_FOUND']);
    await flush();
    // Other timers of the process may end meanwhile; none of this run may be left.
    expect(timers()).toBeLessThanOrEqual(before);
  });
});
