import { waitFor } from '@lunar/dev-kit';
import { OllamaClient } from '@lunar/ollama-stream';
import { Ollama } from 'ollama';
import { describe, expect, it } from 'vitest';
import { KeepAliveOnHit, MAX_KEEP_ALIVE_REQUESTS } from '../src/keep-alive-on-hit.js';
import { EMBED_MODEL, harnessPerFile, MODEL, ndjsonLines, postJson } from './harness.js';

const harness = harnessPerFile();

let counter = 0;
const freshChat = (extra: Record<string, unknown> = {}) => ({
  model: MODEL,
  messages: [{ role: 'user', content: `Why is the sky blue? (hit ${++counter})` }],
  options: { temperature: 0 },
  ...extra,
});

type ChatChunk = { message: { content: string; thinking?: string }; done: boolean; eval_count?: number };

describe('a streamed hit always streams', () => {
  it('replays an answer stored whole (stream: false) token by token, ending with the final chunk', async () => {
    const request = freshChat();
    const whole = await postJson(`${harness().url}/api/chat`, { ...request, stream: false });
    expect(whole.headers.get('x-lunar-cache')).toBe('miss');
    const answer = (await whole.json()) as ChatChunk;
    const streamed = await postJson(`${harness().url}/api/chat`, request);
    expect(streamed.headers.get('x-lunar-cache')).toBe('hit');
    expect(streamed.headers.get('content-type')).toBe('application/x-ndjson');
    const chunks = ndjsonLines(await streamed.text()) as ChatChunk[];
    expect(chunks.length).toBeGreaterThan(5);
    expect(chunks.slice(0, -1).every((chunk) => !chunk.done && chunk.message.content.length > 0)).toBe(true);
    expect(chunks.map((chunk) => chunk.message.content).join('')).toBe(answer.message.content);
    expect(chunks.at(-1)).toEqual({ ...answer, message: { ...answer.message, content: '' } });
    expect(harness().sim.stats().requests['/api/chat']).toBe(1);
  });

  it('gives the ollama client one chunk per piece, as a live stream would', async () => {
    const request = freshChat();
    const ollama = new Ollama({ host: harness().url });
    const whole = await ollama.chat({ ...request, stream: false });
    const stream = await ollama.chat({ ...request, stream: true });
    const pieces: string[] = [];
    for await (const chunk of stream) pieces.push(chunk.message.content);
    expect(pieces.length).toBeGreaterThan(5);
    expect(pieces.join('')).toBe(whole.message.content);
  });
});

describe('keep_alive on a hit', () => {
  it('unloads the model when a hit carries keep_alive: 0, and the hit is the stored answer', async () => {
    const request = freshChat({ stream: false });
    const first = await (await postJson(`${harness().url}/api/chat`, request)).json();
    expect(harness().sim.stats().loadedModels).toContain(MODEL);
    const hit = await postJson(`${harness().url}/api/chat`, { ...request, keep_alive: 0 });
    expect(hit.headers.get('x-lunar-cache')).toBe('hit');
    expect(await hit.json()).toEqual(first);
    await waitFor(() => !harness().sim.stats().loadedModels.includes(MODEL));
    expect(harness().sim.stats().requests).toMatchObject({ '/api/chat': 1, '/api/generate': 1 });
  });

  it("extends the model's keep_alive on the host, without generating, and the hit does not wait for it", async () => {
    const request = freshChat();
    await (await postJson(`${harness().url}/api/chat`, request)).text();
    // The host takes 2 s to answer the load request: the hit must not wait for it.
    harness().sim.injectFault({ fault: { type: 'stall', ms: 2_000 }, route: '/api/generate' });
    const hit = await postJson(`${harness().url}/api/chat`, { ...request, keep_alive: '10m' });
    expect(hit.headers.get('x-lunar-cache')).toBe('hit');
    await hit.text();
    // The hit has been read whole; the load request it sent is still at the host, stalled.
    await waitFor(() => harness().sim.stats().generationsInFlight === 1);
    expect(harness().sim.stats().requests['/api/generate']).toBe(1);
    await waitFor(() => harness().sim.stats().generationsInFlight === 0);
    const ps = (await (await fetch(`${harness().sim.url}/api/ps`)).json()) as {
      models: Array<{ name: string; expires_at: string }>;
    };
    const expiresIn = Date.parse(ps.models.find((model) => model.name === MODEL)!.expires_at) - Date.now();
    expect(expiresIn).toBeGreaterThan(5 * 60_000);
    expect(harness().sim.stats().tokensGenerated).toBeGreaterThan(0); // the first call only
    const generated = harness().sim.stats().tokensGenerated;
    await (await postJson(`${harness().url}/api/chat`, { ...request, keep_alive: '10m' })).text();
    expect(harness().sim.stats().tokensGenerated).toBe(generated);
  });

  it('loads an embedding model the same way, and sends nothing for a hit without keep_alive', async () => {
    const body = { model: EMBED_MODEL, input: [`a lunar cache ${++counter}`] };
    await (await postJson(`${harness().url}/api/embed`, body)).json();
    await (await postJson(`${harness().url}/api/embed`, body)).json();
    expect(harness().sim.stats().requests['/api/embed']).toBe(1);
    const embedLoaded = () => harness().sim.stats().loadedModels.includes(`${EMBED_MODEL}:latest`);
    expect(embedLoaded()).toBe(true);
    const hit = await postJson(`${harness().url}/api/embed`, { ...body, keep_alive: 0 });
    expect(hit.headers.get('x-lunar-cache')).toBe('hit');
    await hit.json();
    await waitFor(() => !embedLoaded());
    expect(harness().sim.stats().requests['/api/embed']).toBe(2);
  });
});

describe('KeepAliveOnHit', () => {
  it('sends one request per model and value at a time, at most 64, and close() aborts them', async () => {
    harness().sim.injectFault({
      fault: { type: 'stall', ms: 30_000 },
      route: '/api/generate',
      times: Infinity,
    });
    const client = new OllamaClient({ host: harness().sim.url, connections: 128 });
    const keepAlive = new KeepAliveOnHit(client, undefined);
    try {
      for (let index = 0; index < 3; index++) keepAlive.send('chat', { model: MODEL, keep_alive: '1m' });
      await waitFor(() => harness().sim.stats().requests['/api/generate'] === 1);
      for (let index = 0; index < 100; index++)
        keepAlive.send('chat', { model: MODEL, keep_alive: `${index + 2}m` });
      expect(keepAlive.size).toBe(MAX_KEEP_ALIVE_REQUESTS);
      await waitFor(() => harness().sim.stats().requests['/api/generate'] === MAX_KEEP_ALIVE_REQUESTS);
      keepAlive.abortAll(new Error('closing'));
      await waitFor(() => keepAlive.size === 0);
    } finally {
      harness().sim.clearFaults();
      await client.close();
    }
  });
});
