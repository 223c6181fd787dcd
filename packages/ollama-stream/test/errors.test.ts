import { createServer, type Socket } from 'node:net';
import { waitFor } from '@lunar/dev-kit';
import { type OllamaSim, startOllamaSim } from '@lunar/ollama-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChatResponse, OllamaClient } from '../src/index.js';
import { failure, freePort, user } from './helpers.js';

let sim: OllamaSim;
let client: OllamaClient;

beforeAll(async () => {
  // 200 tokens/s: a 24-token answer takes ~120 ms, so faults and deadlines land mid-stream.
  sim = await startOllamaSim({ preload: ['llama3.2:3b'], latency: { tokensPerSecond: 200 } });
  client = new OllamaClient({ host: sim.url });
});

afterAll(async () => {
  await client.close();
  await sim.close();
});

const fault = (value: object) => ({ headers: { 'x-ollama-sim-fault': JSON.stringify(value) } });
const chat = { model: 'llama3.2:3b', messages: user('Why is the sky blue?') };

/** Iterate `stream`, returning the chunks seen before the error and the error. */
async function chunksThenError(stream: AsyncIterable<ChatResponse>) {
  const seen: ChatResponse[] = [];
  const error = await failure(
    (async () => {
      for await (const chunk of stream) seen.push(chunk);
    })(),
  );
  return { seen, error };
}

describe('error codes', () => {
  it('OLLAMA_UNREACHABLE: names the URL, says what happened in words and `ollama serve`', async () => {
    const port = await freePort();
    const down = new OllamaClient({ host: `127.0.0.1:${port}`, retry: { retries: 1, minDelayMs: 1 } });
    const error = await failure(down.chat(chat).final());
    expect(error.code).toBe('OLLAMA_UNREACHABLE');
    expect(error.message).toBe(
      `Cannot connect to Ollama at http://127.0.0.1:${port}: the connection was refused (2 attempts). ` +
        'Check that Ollama is running there (`ollama serve`) and that the address is right.',
    );
    // Advice that depends on who calls (an environment variable, an option) stays out of the message.
    expect(error.message).not.toContain('OLLAMA_HOST');
    expect(error.host).toBe(`http://127.0.0.1:${port}`);
    expect((error.cause as { code?: string }).code).toBe('ECONNREFUSED');
    expect(down.hosts()[0]).toMatchObject({ requests: 2, failures: 2 });
    expect((await failure(down.tags())).code).toBe('OLLAMA_UNREACHABLE');
    await down.close();
  });

  it('OLLAMA_MODEL_NOT_FOUND: the model and the `ollama pull` command as fields, on every model route', async () => {
    const error = await failure(client.chat({ model: 'mistral:7b', messages: user('hi') }).final());
    expect(error.code).toBe('OLLAMA_MODEL_NOT_FOUND');
    expect(error.status).toBe(404);
    expect(error.model).toBe('mistral:7b');
    expect(error.pullCommand).toBe('ollama pull mistral:7b');
    expect(error.message).toContain('pull it there with `ollama pull mistral:7b`');
    expect(error.message).toContain("model 'mistral:7b' not found");
    expect(error.ollamaMessage).toBe("model 'mistral:7b' not found");
    for (const call of [
      client.generate({ model: 'mistral:7b', prompt: 'hi', stream: false }),
      client.embed({ model: 'mistral:7b', input: 'hi' }),
      client.show('mistral:7b'),
      client.warmup('mistral:7b'),
    ]) {
      const routeError = await failure(call);
      expect(routeError.code).toBe('OLLAMA_MODEL_NOT_FOUND');
      expect(routeError.pullCommand).toBe('ollama pull mistral:7b');
      // Exactly Ollama's text, whichever wording its route uses.
      expect(routeError.message).toContain(`(Ollama said: ${routeError.ollamaMessage})`);
    }
  });

  it("OLLAMA_BUSY: Ollama's queue is full (503)", async () => {
    const busy = await startOllamaSim({
      preload: ['llama3.2:3b'],
      maxQueue: 1,
      latency: { tokensPerSecond: 50 },
    });
    const busyClient = new OllamaClient({ host: busy.url });
    try {
      const running = busyClient.chat(chat);
      const waiting = busyClient.chat(chat);
      await waitFor(() => busy.stats().queued === 1); // one answering, one in Ollama's queue of 1
      const error = await failure(busyClient.chat(chat).final());
      expect(error.code).toBe('OLLAMA_BUSY');
      expect(error.status).toBe(503);
      expect(error.message).toContain('maximum pending requests exceeded');
      expect(error.ollamaMessage).toBe('server busy, please try again.  maximum pending requests exceeded');
      expect(busy.stats().rejectedBusy).toBe(1);
      running.abort();
      waiting.abort();
    } finally {
      await busyClient.close();
      await busy.close();
    }
  });

  it("OLLAMA_HTTP_ERROR: the status and Ollama's error text", async () => {
    const error = await failure(client.chat({ ...chat, think: true }).final());
    expect(error.code).toBe('OLLAMA_HTTP_ERROR');
    expect(error.status).toBe(400);
    expect(error.message).toBe(`Ollama at ${sim.url} answered 400: "llama3.2:3b" does not support thinking`);
    expect(error.ollamaMessage).toBe('"llama3.2:3b" does not support thinking');
    const server = await failure(client.tags(fault({ type: 'status', status: 500, message: 'boom' })));
    expect(server).toMatchObject({ code: 'OLLAMA_HTTP_ERROR', status: 500, ollamaMessage: 'boom' });
    expect(server.message).toContain('boom');
  });

  it('OLLAMA_STREAM_ERROR: an {"error"} line mid-stream, after the chunks before it', async () => {
    const stream = client.chat(
      chat,
      fault({ type: 'error-line', afterChunks: 3, message: 'CUDA out of memory' }),
    );
    const { seen, error } = await chunksThenError(stream);
    expect(seen).toHaveLength(3);
    expect(error.code).toBe('OLLAMA_STREAM_ERROR');
    expect(error.message).toBe(`Ollama at ${sim.url} failed mid-stream: CUDA out of memory`);
    expect(error.ollamaMessage).toBe('CUDA out of memory');
    await expect(stream.final()).rejects.toBe(error);
  });

  it('OLLAMA_PROTOCOL_ERROR: the connection dropped before the final chunk, said in words', async () => {
    const { seen, error } = await chunksThenError(client.chat(chat, fault({ type: 'drop', afterChunks: 4 })));
    expect(seen).toHaveLength(4);
    expect(error.code).toBe('OLLAMA_PROTOCOL_ERROR');
    expect(error.message).toContain(
      `Ollama at ${sim.url}: the connection closed before the chat stream ended (no final chunk with done: true)`,
    );
    // The library's own code stays on the cause, out of the message.
    expect(error.message).not.toMatch(/UND_ERR|ECONN/);
    expect((error.cause as { code?: string }).code).toBe('UND_ERR_SOCKET');
  });

  it('OLLAMA_PROTOCOL_ERROR: a server that does not speak HTTP, said in words', async () => {
    const sockets = new Set<Socket>();
    const notHttp = createServer((socket) => {
      sockets.add(socket);
      socket.end('SSH-2.0-OpenSSH_9.6\r\n');
    });
    await new Promise<void>((resolve) => notHttp.listen(0, '127.0.0.1', resolve));
    const { port } = notHttp.address() as { port: number };
    const lunar = new OllamaClient({ host: `127.0.0.1:${port}` });
    try {
      const error = await failure(lunar.version());
      expect(error.code).toBe('OLLAMA_PROTOCOL_ERROR');
      expect(error.message).toBe(
        `Ollama at http://127.0.0.1:${port}: what came back is not valid HTTP; is this the address of an Ollama server?`,
      );
      expect((error.cause as Error).name).toBe('HTTPParserError');
    } finally {
      await lunar.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => notHttp.close(resolve));
    }
  });

  it('OLLAMA_TIMEOUT headersMs: no answer in time (a stall before the headers)', async () => {
    const stream = client.chat(chat, {
      ...fault({ type: 'stall', ms: 5000 }),
      timeouts: { headersMs: 100 },
    });
    const error = await failure(stream.final());
    expect(error).toMatchObject({ code: 'OLLAMA_TIMEOUT', deadline: 'headersMs', timeoutMs: 100 });
    expect(error.message).toContain(`Ollama at ${sim.url} did not start answering within 100 ms`);
    expect(error.message).toContain('raise `timeouts.headersMs`');
  });

  it('OLLAMA_TIMEOUT headersMs applies to every call: not streamed, embed, show, version', async () => {
    const stall = fault({ type: 'stall', ms: 5000 });
    const options = { ...stall, timeouts: { headersMs: 80 } };
    for (const call of [
      client.chat({ ...chat, stream: false }, options),
      client.embed({ model: 'llama3.2:3b', input: 'x' }, options),
      client.show('llama3.2:3b', options),
      client.version(options),
    ]) {
      expect(await failure(call)).toMatchObject({ code: 'OLLAMA_TIMEOUT', deadline: 'headersMs' });
    }
  });

  it('OLLAMA_TIMEOUT idleMs: the stream stalled after some chunks', async () => {
    const stream = client.chat(chat, {
      ...fault({ type: 'stall', ms: 5000, afterChunks: 2 }),
      timeouts: { idleMs: 150 },
    });
    const { seen, error } = await chunksThenError(stream);
    expect(seen).toHaveLength(2);
    expect(error.deadline).toBe('idleMs');
  });

  it('OLLAMA_TIMEOUT totalMs: the whole call took too long, streamed or not', async () => {
    const slow = { timeouts: { totalMs: 60 } };
    const streamed = await failure(client.chat({ ...chat, options: { num_predict: 100 } }, slow).final());
    expect(streamed).toMatchObject({ code: 'OLLAMA_TIMEOUT', deadline: 'totalMs' });
    const whole = await failure(client.chat({ ...chat, stream: false }, slow));
    expect(whole).toMatchObject({ code: 'OLLAMA_TIMEOUT', deadline: 'totalMs' });
  });

  it("a client's default timeouts apply, and a call's replace them", async () => {
    const strict = new OllamaClient({ host: sim.url, timeouts: { totalMs: 30 } });
    try {
      expect((await failure(strict.chat(chat).final())).deadline).toBe('totalMs');
      const final = await strict.chat(chat, { timeouts: { totalMs: 10_000 } }).final();
      expect(final.done).toBe(true);
    } finally {
      await strict.close();
    }
  });

  it('OLLAMA_ABORTED: the caller aborted, with its reason as the cause', async () => {
    const controller = new AbortController();
    const stream = client.chat(chat, { signal: controller.signal });
    controller.abort(new Error('user left'));
    const error = await failure(stream.final());
    expect(error.code).toBe('OLLAMA_ABORTED');
    expect((error.cause as Error).message).toBe('user left');
    const already = await failure(client.version({ signal: AbortSignal.abort() }));
    expect(already.code).toBe('OLLAMA_ABORTED');
  });
});
