import { Ollama } from 'ollama';
import { describe, expect, it } from 'vitest';
import { chatRequest, FAULT_HEADER_NAME, lines, openStream, post, startSim } from './helpers.js';

const chat = (extra: Record<string, unknown> = {}) => chatRequest('Why is the sky blue?', extra);
const header = (fault: object) => ({ [FAULT_HEADER_NAME]: JSON.stringify(fault) });

describe('fault injection', () => {
  it('writes an error line after N chunks and ends the stream with status 200', async () => {
    const sim = await startSim();
    const response = await post(
      sim,
      '/api/chat',
      chat(),
      header({ type: 'error-line', afterChunks: 2, message: 'GPU fell off' }),
    );
    expect(response.status).toBe(200);
    const chunks = lines(response.text);
    expect(chunks).toHaveLength(3);
    expect(chunks[2]).toEqual({ error: 'GPU fell off' });
    expect(sim.stats().generationsInFlight).toBe(0);
  });

  it('makes the official client throw on an error line', async () => {
    const sim = await startSim({
      faults: [{ fault: { type: 'error-line', afterChunks: 1 }, route: '/api/chat' }],
    });
    const ollama = new Ollama({ host: sim.url });
    const read = async () => {
      for await (const _part of await ollama.chat({ ...chat(), stream: true })) {
        // reading until the error
      }
    };
    await expect(read()).rejects.toThrow('an error was encountered while running the model: simulated fault');
  });

  it('turns an error line on a non-streamed answer into a 500', async () => {
    const sim = await startSim();
    sim.injectFault({ fault: { type: 'error-line', afterChunks: 0, message: 'boom' } });
    const response = await post(sim, '/api/chat', chat({ stream: false }));
    expect([response.status, JSON.parse(response.text)]).toEqual([500, { error: 'boom' }]);
  });

  it('drops the connection after N chunks without counting a client disconnect', async () => {
    const sim = await startSim();
    const stream = openStream(sim, '/api/chat', chat(), header({ type: 'drop', afterChunks: 3 }));
    await expect(stream.done).rejects.toThrow();
    expect(stream.received).toHaveLength(3);
    expect(sim.stats().clientDisconnects).toBe(0);
    const next = await post(sim, '/api/chat', chat({ stream: false }));
    expect(next.status).toBe(200);
  });

  it('stalls before the headers or mid-stream', async () => {
    const sim = await startSim();
    let started = performance.now();
    const tags = await fetch(`${sim.url}/api/tags`, { headers: header({ type: 'stall', ms: 150 }) });
    expect(tags.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);

    const stream = openStream(sim, '/api/chat', chat(), header({ type: 'stall', ms: 150, afterChunks: 1 }));
    await stream.firstLine;
    started = performance.now();
    await stream.done;
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(stream.received).toHaveLength(25);
  });

  it('answers with an HTTP status before any byte', async () => {
    const sim = await startSim();
    const response = await post(
      sim,
      '/api/chat',
      chat(),
      header({ type: 'status', status: 429, message: 'slow down' }),
    );
    expect([response.status, response.contentType, JSON.parse(response.text)]).toEqual([
      429,
      'application/json; charset=utf-8',
      { error: 'slow down' },
    ]);
    const plain = await fetch(`${sim.url}/api/version`, { headers: header({ type: 'status', status: 502 }) });
    expect([plain.status, await plain.json()]).toEqual([502, { error: 'simulated fault: HTTP 502' }]);
  });

  it('applies programmatic rules by route, as many times as asked, until cleared', async () => {
    const sim = await startSim();
    sim.injectFault({ fault: { type: 'status', status: 500 }, route: '/api/embed', times: 2 });
    expect((await post(sim, '/api/chat', chat({ stream: false }))).status).toBe(200);
    expect((await post(sim, '/api/embed', { model: 'nomic-embed-text', input: 'a' })).status).toBe(500);
    expect((await post(sim, '/api/embed', { model: 'nomic-embed-text', input: 'a' })).status).toBe(500);
    expect((await post(sim, '/api/embed', { model: 'nomic-embed-text', input: 'a' })).status).toBe(200);
    sim.injectFault({ fault: { type: 'status', status: 500 }, times: Number.POSITIVE_INFINITY });
    expect((await post(sim, '/api/chat', chat())).status).toBe(500);
    sim.clearFaults();
    expect((await post(sim, '/api/chat', chat())).status).toBe(200);
    expect(() => sim.injectFault({ fault: { type: 'drop', afterChunks: -2 } })).toThrow(TypeError);
  });

  it('answers a malformed fault header with a 400', async () => {
    const sim = await startSim();
    const response = await post(sim, '/api/chat', chat(), { [FAULT_HEADER_NAME]: '{"type":"explode"}' });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text).error).toBe(
      'invalid x-ollama-sim-fault header: fault.type must be "error-line", "drop", "stall" or "status", got "explode"',
    );
  });
});
