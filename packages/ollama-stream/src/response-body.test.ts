import type { Dispatcher } from 'undici';
import { describe, expect, it } from 'vitest';
import { isOllamaError } from './errors.js';
import { RequestScope } from './request-scope.js';
import { BODY_HIGH_WATER, ResponseBody } from './response-body.js';

function setup(maxBodyBytes = 1024) {
  const calls: string[] = [];
  const controller = {
    pause: () => calls.push('pause'),
    resume: () => calls.push('resume'),
    abort: () => calls.push('abort'),
  } as unknown as Dispatcher.DispatchController;
  const off = { headersMs: 0, idleMs: 0, totalMs: 0 };
  const scope = new RequestScope(new Set(), undefined, off, 'http://h', 16);
  const body = new ResponseBody(scope, controller, 'http://h', maxBodyBytes);
  scope.onAbort((error) => body.fail(error));
  return { body, calls, scope };
}

const chunk = (text: string) => Buffer.from(text);

describe('ResponseBody', () => {
  it('holds at most 16 chunks for a reader that is behind, pausing the socket, and resumes once drained', async () => {
    const { body, calls } = setup();
    for (let i = 0; i < BODY_HIGH_WATER - 1; i++) body.push(chunk(String(i % 10)));
    expect(calls).toEqual([]);
    body.push(chunk('x'));
    expect(body.buffered).toBe(BODY_HIGH_WATER);
    expect(calls).toEqual(['pause']);
    const iterator = body[Symbol.asyncIterator]();
    for (let i = 0; i < BODY_HIGH_WATER - 4; i++) await iterator.next();
    expect(calls).toEqual(['pause', 'resume']);
    body.end();
    let rest = 0;
    while (!(await iterator.next()).done) rest++;
    expect(rest).toBe(4);
  });

  it('yields the chunks that arrived before a failure, then the failure', async () => {
    const { body } = setup();
    body.push(chunk('a'));
    body.fail(new Error('reset'));
    const iterator = body[Symbol.asyncIterator]();
    expect(Buffer.from((await iterator.next()).value!).toString()).toBe('a');
    await expect(iterator.next()).rejects.toThrow('reset');
  });

  it('bytes() stops at maxBodyBytes and aborts the request', async () => {
    const { body, scope } = setup(10);
    const reading = body.bytes();
    body.push(chunk('123456'));
    body.push(chunk('789012'));
    const error = await reading.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(isOllamaError(error, 'OLLAMA_PROTOCOL_ERROR')).toBe(true);
    expect(scope.aborted).toBe(true);
    expect(scope.reason).toBe(error);
  });

  it('text() gathers the chunks, across a split UTF-8 character too', async () => {
    const { body } = setup();
    const bytes = Buffer.from('é!');
    const reading = body.text();
    body.push(bytes.subarray(0, 1));
    body.push(bytes.subarray(1));
    body.end();
    expect(await reading).toBe('é!');
  });
});
