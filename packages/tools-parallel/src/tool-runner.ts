import type { ToolCall } from '@lunar/ollama-stream';
import pMap from 'p-map';
import type { z } from 'zod';
import { abortCall, type CallAbort, CallContext } from './call-context.js';
import { type CallFacts, fail, failure, success } from './call-outcome.js';
import { ReadyQueue } from './ready-queue.js';
import { type ResolvedOptions, type RunToolsOptions, resolveOptions } from './runner-options.js';
import { type OpenAIToolCall, type ParsedToolCall, parseToolCall } from './tool-call.js';
import { describeIssues, serializeValue } from './tool-output.js';
import { type AnyTool, ToolRegistry } from './tool-registry.js';
import type { ToolResult } from './tool-result.js';
import { describeReason, ToolsError } from './tools-error.js';

type JobState = 'held' | 'queued' | 'validating' | 'running' | 'settled';

/** A call that a tool will run. Every field is set at creation, so all jobs share one shape. */
interface Job extends CallFacts, CallAbort {
  readonly tool: AnyTool;
  readonly args: Record<string, unknown>;
  state: JobState;
  startedAt: number | undefined;
  started: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Frees the job's concurrency slot. */
  release: (() => void) | undefined;
}

/**
 * Runs tool calls as they arrive from the model's stream. Read-only tools start at `add()`;
 * the others wait for `commit()`. End every runner with `commit()` or `cancel()`: `results()`
 * settles after that, once every call has a result.
 */
export class ToolRunner implements AsyncIterable<ToolResult> {
  readonly #registry: ToolRegistry;
  readonly #options: ResolvedOptions;
  readonly #results: (ToolResult | undefined)[] = [];
  /** Results in finishing order, for the async iterators. */
  readonly #finished: ToolResult[] = [];
  readonly #held: Job[] = [];
  readonly #queue = new ReadyQueue<Job>();
  /** Jobs without a result yet, whatever their state. */
  readonly #pending = new Set<Job>();
  #state: 'open' | 'committed' | 'cancelled' = 'open';
  #unsettled = 0;
  #wakers: Array<() => void> = [];
  #resolveDone!: (results: ToolResult[]) => void;
  readonly #done = new Promise<ToolResult[]>((resolve) => {
    this.#resolveDone = resolve;
  });
  #isDone = false;

  constructor(registry: ToolRegistry, options?: RunToolsOptions) {
    if (!(registry instanceof ToolRegistry)) {
      throw new TypeError('Expected `registry` to be a ToolRegistry');
    }
    this.#registry = registry;
    this.#options = resolveOptions(options);
    const { concurrency, signal } = this.#options;
    // The mapper never throws, so p-map never stops early; stopOnError: false says so twice.
    void pMap(this.#queue, (job) => this.#run(job), { concurrency, stopOnError: false });
    if (signal && !signal.aborted) signal.addEventListener('abort', this.#onAbort, { once: true });
  }

  /** How many calls were added. */
  get size(): number {
    return this.#results.length;
  }

  /**
   * Add a call as it arrives; returns its id (the model's, or a generated one). A read-only tool
   * starts at once (within `concurrency`); any other tool waits for `commit()`.
   * Throws a ToolsError `TOOLS_RUNNER_CLOSED` after `commit()` or `cancel()`.
   */
  add(call: ToolCall | OpenAIToolCall): string {
    if (this.#state !== 'open') {
      throw new ToolsError(
        'TOOLS_RUNNER_CLOSED',
        `Cannot add a tool call: the runner was already ${this.#state}`,
      );
    }
    const index = this.#results.length;
    const parsed = parseToolCall(call, index);
    this.#results.push(undefined);
    this.#unsettled++;
    const { callId, name } = parsed;
    const tool = this.#registry.get(name);
    const { maxCalls, signal } = this.#options;
    const facts: CallFacts = { index, callId, name, startedAt: undefined, started: false };
    if (index >= maxCalls) {
      this.#record(this.#notRun(facts, `more than ${maxCalls} tool calls in one answer`));
    } else if (tool === undefined) {
      this.#record(
        fail(facts, 'TOOLS_NOT_FOUND', this.#notFoundMessage(parsed), this.#options.maxOutputChars),
      );
    } else if (parsed.error) {
      this.#record(failure(facts, parsed.error, this.#options.maxOutputChars));
    } else if (signal?.aborted) {
      this.#record(this.#notRun(facts, describeReason(signal.reason, 'the run was aborted')));
    } else {
      const job: Job = {
        index,
        callId,
        name,
        tool,
        args: parsed.args,
        state: 'held',
        startedAt: undefined,
        started: false,
        timer: undefined,
        release: undefined,
        controller: undefined,
        aborted: false,
        abortReason: undefined,
      };
      this.#pending.add(job);
      if (tool.readOnly) this.#enqueue(job);
      else this.#held.push(job);
    }
    return callId;
  }

  /**
   * The model's answer is complete (Ollama's `done_reason: "stop"`): start the calls that were
   * waiting, in the order they were added. No more calls may be added. Does nothing after `cancel()`.
   */
  commit(): void {
    if (this.#state !== 'open') return;
    this.#state = 'committed';
    for (const job of this.#held.splice(0)) this.#enqueue(job);
    this.#queue.close();
    this.#finishIfDone();
  }

  /**
   * Stop: calls that have not started never will (`aborted`, "was not run: <reason>"), running
   * tools see their signal abort and their results come back `aborted` at once. Use it when the
   * model's answer was cut off, e.g. `runner.cancel("the model's answer was cut off")`.
   */
  cancel(reason = 'the run was cancelled'): void {
    if (this.#state === 'cancelled') return;
    this.#state = 'cancelled';
    this.#stopAll(new DOMException(reason, 'AbortError'), reason);
    this.#queue.close();
    this.#finishIfDone();
  }

  /** Every result in the order the calls were added, once the runner is committed or cancelled. */
  results(): Promise<ToolResult[]> {
    return this.#done;
  }

  /** Each result as it is settled, in finishing order; ends after the last one. */
  async *[Symbol.asyncIterator](): AsyncIterator<ToolResult> {
    let next = 0;
    while (true) {
      if (next < this.#finished.length) yield this.#finished[next++] as ToolResult;
      else if (this.#isDone) return;
      else await new Promise<void>((resolve) => this.#wakers.push(resolve));
    }
  }

  #onAbort = (): void => {
    const reason = this.#options.signal?.reason;
    this.#stopAll(reason, describeReason(reason, 'the run was aborted'));
  };

  #enqueue(job: Job): void {
    job.state = 'queued';
    this.#queue.push(job);
  }

  #stopAll(signalReason: unknown, text: string): void {
    this.#held.length = 0;
    this.#queue.drain();
    for (const job of [...this.#pending]) {
      if (job.state !== 'running') {
        this.#settle(job, this.#notRun(job, text));
        continue;
      }
      const message = `${job.name} was cancelled while running (${text}); it may have done part of its work.`;
      this.#settle(job, fail(job, 'TOOLS_ABORTED', message, this.#options.maxOutputChars, signalReason));
      abortCall(job, signalReason);
    }
  }

  #notRun(facts: CallFacts, text: string): ToolResult {
    return fail(
      facts,
      'TOOLS_ABORTED',
      `${facts.name} was not run: ${text.replace(/\.$/, '')}.`,
      this.#options.maxOutputChars,
    );
  }

  #notFoundMessage(parsed: ParsedToolCall): string {
    const names = this.#registry.names();
    const asked = parsed.name === '' ? 'The call names no tool.' : `There is no tool named "${parsed.name}".`;
    return `${asked} ${names.length === 0 ? 'No tools are available.' : `Available tools: ${names.join(', ')}.`}`;
  }

  /**
   * The p-map mapper: arm the call's deadline, check the arguments, then run the tool. Resolves when
   * the job has a result (its slot is then free), whatever the check or the tool does. Never rejects.
   */
  #run(job: Job): Promise<void> {
    if (job.state !== 'queued') return Promise.resolve();
    job.state = 'validating';
    job.startedAt = performance.now();
    const timeoutMs = job.tool.timeoutMs ?? this.#options.timeoutMs;
    return new Promise<void>((release) => {
      // Set before the check: a deadline or an abort that settles the job during the check frees its slot.
      job.release = release;
      if (timeoutMs !== Number.POSITIVE_INFINITY) {
        job.timer = setTimeout(() => this.#timeOut(job, timeoutMs), timeoutMs);
      }
      void this.#check(job);
    });
  }

  /** Check the arguments under the deadline armed in #run; a result that comes after the job settled is dropped. */
  async #check(job: Job): Promise<void> {
    const { maxOutputChars } = this.#options;
    let parsed: z.ZodSafeParseResult<unknown>;
    try {
      // Always the async parse: a sync attempt on a schema with async refinements would start them,
      // throw, and leave their promises unhandled.
      parsed = await job.tool.parameters.safeParseAsync(job.args);
    } catch (error) {
      const message = `${job.name} failed while checking its arguments: ${describeReason(error, 'unknown error')}`;
      this.#settle(job, fail(job, 'TOOLS_FAILED', message, maxOutputChars, error));
      return;
    }
    if (job.state !== 'validating') return;
    if (!parsed.success) {
      const message = `Invalid arguments for ${job.name}: ${describeIssues(parsed.error.issues)}. Fix them and call ${job.name} again.`;
      this.#settle(job, fail(job, 'TOOLS_INVALID_ARGUMENTS', message, maxOutputChars, parsed.error));
      return;
    }
    this.#execute(job, parsed.data);
  }

  /** Call the tool; the deadline is already running. */
  #execute(job: Job, args: unknown): void {
    job.state = 'running';
    job.started = true;
    const { onStart } = this.#options;
    if (onStart) {
      try {
        onStart({ index: job.index, callId: job.callId, name: job.name, arguments: args });
      } catch {
        // An observer that throws must not change any result.
      }
    }
    let pending: PromiseLike<unknown>;
    try {
      pending = Promise.resolve(job.tool.execute(args, new CallContext(job, job.callId)));
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(
      (value) => this.#succeed(job, value),
      (error: unknown) => {
        const message = `${job.name} failed: ${describeReason(error, 'unknown error')}`;
        this.#settle(job, fail(job, 'TOOLS_FAILED', message, this.#options.maxOutputChars, error));
      },
    );
  }

  #succeed(job: Job, value: unknown): void {
    if (job.state === 'settled') return;
    const { maxOutputChars } = this.#options;
    let output: string;
    try {
      output = serializeValue(value);
    } catch (error) {
      const message = `${job.name} returned a value that cannot be written as JSON: ${describeReason(error, 'unknown error')}`;
      this.#settle(job, fail(job, 'TOOLS_FAILED', message, maxOutputChars, error));
      return;
    }
    this.#settle(job, success(job, value, output, maxOutputChars));
  }

  #timeOut(job: Job, timeoutMs: number): void {
    if (job.state === 'validating') {
      // The tool never ran: a refinement (a database or network check) did not answer in time.
      const text = `checking its arguments timed out after ${timeoutMs} ms`;
      const reason = new DOMException(`${job.name}: ${text}`, 'TimeoutError');
      this.#settle(
        job,
        fail(job, 'TOOLS_TIMEOUT', `${job.name} was not run: ${text}.`, this.#options.maxOutputChars, reason),
      );
      return;
    }
    const reason = new DOMException(`${job.name} timed out after ${timeoutMs} ms`, 'TimeoutError');
    const message = `${job.name} timed out after ${timeoutMs} ms and was told to stop; it may still be running.`;
    this.#settle(job, fail(job, 'TOOLS_TIMEOUT', message, this.#options.maxOutputChars, reason));
    abortCall(job, reason);
  }

  #settle(job: Job, result: ToolResult): void {
    if (job.state === 'settled') return;
    job.state = 'settled';
    clearTimeout(job.timer);
    this.#pending.delete(job);
    job.release?.();
    this.#record(result);
  }

  #record(result: ToolResult): void {
    this.#results[result.index] = result;
    this.#finished.push(result);
    this.#unsettled--;
    const { onResult } = this.#options;
    if (onResult) {
      try {
        onResult(result);
      } catch {
        // An observer that throws must not change any result.
      }
    }
    this.#wake();
    this.#finishIfDone();
  }

  #wake(): void {
    if (this.#wakers.length === 0) return;
    const wakers = this.#wakers;
    this.#wakers = [];
    for (const wake of wakers) wake();
  }

  #finishIfDone(): void {
    if (this.#isDone || this.#state === 'open' || this.#unsettled > 0) return;
    this.#isDone = true;
    this.#options.signal?.removeEventListener('abort', this.#onAbort);
    this.#wake();
    this.#resolveDone(this.#results as ToolResult[]);
  }
}
