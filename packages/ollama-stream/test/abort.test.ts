import { waitFor } from '@lunar/dev-kit';
import { type OllamaSim, startOllamaSim } from '@lunar/ollama-sim';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OllamaClient, type OllamaError } from '../src/index.js';
import { abortListeners, activeTimers, failure, user } from './helpers.js';

let sim: OllamaSim;
let client: OllamaClient;
let disconnects = 0;

beforeAll(async () => {
  // 100 tokens/s and 2,000-token answers: an answer is still streaming when each test cancels it.
  sim = await startOllamaSim({
    models: [{ name: 'llama3.2:3b', capabilities: ['completion'], answerTokens: 2000 }],
    preload: ['llama3.2:3b'],
    parallel: 2,
    latency: { tokensPerSecond: 100 },
  });
  client = new OllamaClient({ host: sim.url, timeouts: { totalMs: 30_000 } });
});

afterAll(async () => {
  await client.close();
  await sim.close();
});

beforeEach(async () => {
  await waitFor(() => sim.stats().generationsInFlight === 0);
  disconnects = sim.stats().clientDisconnects;
});

const chat = { model: 'llama3.2:3b', messages: user('Tell me a long story') };

/** The simulator saw the client go away mid-generation (Ollama would stop generating), and nothing is left over. */
async function expectCancelled(signal?: AbortSignal): Promise<void> {
  await waitFor(() => sim.stats().clientDisconnects === disconnects + 1);
  await waitFor(() => client.hosts()[0]!.running === 0);
  expect(sim.stats().generationsInFlight).toBe(0);
  if (signal) expect(abortListeners(signal)).toBe(0);
}

describe('abort and cleanup: every route cancels the HTTP request', () => {
  it('an aborted signal, mid-stream', async () => {
    const controller = new AbortController();
    const stream = client.chat(chat, { signal: controller.signal });
    let seen = 0;
    const error = await failure(
      (async () => {
        for await (const _ of stream) if (++seen === 3) controller.abort();
      })(),
    );
    expect(error.code).toBe('OLLAMA_ABORTED');
    expect(seen).toBe(3);
    await expectCancelled(controller.signal);
  });

  it('an aborted signal, before the headers (Ollama still loading or prefilling)', async () => {
    const controller = new AbortController();
    const stall = JSON.stringify({ type: 'stall', ms: 10_000 });
    const stream = client.chat(chat, { signal: controller.signal, headers: { 'x-ollama-sim-fault': stall } });
    await waitFor(() => sim.stats().generationsInFlight === 1);
    controller.abort();
    expect((await failure(stream.final())).code).toBe('OLLAMA_ABORTED');
    await expectCancelled(controller.signal);
  });

  it('stream.abort()', async () => {
    const stream = client.chat(chat);
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    stream.abort('changed my mind');
    const error = await failure(iterator.next());
    expect(error.code).toBe('OLLAMA_ABORTED');
    expect(error.cause).toBe('changed my mind');
    await expectCancelled();
  });

  it('break out of for await', async () => {
    const stream = client.chat(chat);
    let seen = 0;
    for await (const _ of stream) if (++seen === 2) break;
    await expectCancelled();
    expect((await failure(stream.final())).code).toBe('OLLAMA_ABORTED');
  });

  it('an exception thrown in the loop body', async () => {
    const stream = client.chat(chat);
    await expect(
      (async () => {
        for await (const _ of stream) throw new Error('consumer failed');
      })(),
    ).rejects.toThrow('consumer failed');
    await expectCancelled();
  });

  it('a deadline (idleMs while the server stalls)', async () => {
    const stall = JSON.stringify({ type: 'stall', ms: 10_000, afterChunks: 2 });
    const stream = client.chat(chat, { timeouts: { idleMs: 100 }, headers: { 'x-ollama-sim-fault': stall } });
    expect((await failure(stream.final())).deadline).toBe('idleMs');
    await expectCancelled();
  });

  it('client.close() aborts every call in flight and later calls fail', async () => {
    const closing = new OllamaClient({ host: sim.url });
    const first = closing.chat(chat);
    const second = closing.generate({ model: 'llama3.2:3b', prompt: 'a long story' });
    await first[Symbol.asyncIterator]().next();
    await second[Symbol.asyncIterator]().next();
    await closing.close();
    const errors: OllamaError[] = [await failure(first.final()), await failure(second.final())];
    expect(errors.map((error) => error.message)).toEqual([
      'The Ollama client is closed',
      'The Ollama client is closed',
    ]);
    await waitFor(() => sim.stats().clientDisconnects === disconnects + 2);
    expect((await failure(closing.version())).code).toBe('OLLAMA_ABORTED');
    expect((await failure(closing.chat(chat).final())).code).toBe('OLLAMA_ABORTED');
  });

  it('leaves no timer and no listener behind, whichever way a call ends', async () => {
    await waitFor(() => sim.stats().generationsInFlight === 0);
    const baseline = activeTimers();
    const controller = new AbortController();
    const options = {
      signal: controller.signal,
      timeouts: { headersMs: 60_000, idleMs: 60_000, totalMs: 60_000 },
    };
    await client.chat({ ...chat, options: { num_predict: 5 } }, options).final();
    await client.chat({ ...chat, options: { num_predict: 5 }, stream: false }, options);
    await client.version(options);
    await failure(client.chat({ model: 'missing:1b', messages: user('x') }, options).final());
    for await (const _ of client.chat(chat, options)) break;
    expect(abortListeners(controller.signal)).toBe(0);
    await waitFor(() => sim.stats().generationsInFlight === 0);
    await waitFor(() => activeTimers() <= baseline);
  });

  it('a stream left unread stops reading at its queue limit, and resumes when read', async () => {
    const fast = await startOllamaSim({
      models: [{ name: 'llama3.2:3b', capabilities: ['completion'], answerTokens: 100_000 }],
      preload: ['llama3.2:3b'],
      latency: { tokensPerSecond: 1_000_000 },
    });
    const reader = new OllamaClient({ host: fast.url });
    try {
      const stream = reader.chat(chat);
      const iterator = stream[Symbol.asyncIterator]();
      await iterator.next();
      // Unread, the client pauses the socket: TCP back-pressure soon stops the server generating.
      let last = -1;
      let stableSince = Date.now();
      await waitFor(
        () => {
          const now = fast.stats().tokensGenerated;
          if (now !== last) {
            last = now;
            stableSince = Date.now();
          }
          return Date.now() - stableSince >= 200;
        },
        { timeoutMs: 10_000 },
      );
      expect(fast.stats().tokensGenerated).toBeLessThan(100_000);
      expect(fast.stats().generationsInFlight).toBe(1);
      let read = 1;
      for (;;) {
        const next = await iterator.next();
        if (next.done) break;
        read++;
      }
      expect(read).toBe(100_001);
    } finally {
      await reader.close();
      await fast.close();
    }
  }, 30_000);
});
