import { waitFor } from '@lunar/dev-kit';
import { type OllamaSim, startOllamaSim } from '@lunar/ollama-sim';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OllamaClient } from '../src/index.js';
import { failure } from './helpers.js';
import { type RawServer, startRawServer } from './raw-server.js';

let sim: OllamaSim;
let client: OllamaClient;
let raw: RawServer | undefined;

beforeAll(async () => {
  sim = await startOllamaSim({ preload: ['nomic-embed-text'] });
  client = new OllamaClient({ host: sim.url });
});

afterEach(async () => {
  await raw?.close();
  raw = undefined;
});

afterAll(async () => {
  await client.close();
  await sim.close();
});

describe('embeddings (legacy POST /api/embeddings)', () => {
  it('embeds one prompt as one vector, the same one /api/embed gives', async () => {
    const { embedding } = await client.embeddings({ model: 'nomic-embed-text', prompt: 'hello world' });
    expect(embedding).toHaveLength(768);
    const { embeddings } = await client.embed({ model: 'nomic-embed-text', input: 'hello world' });
    for (let i = 0; i < embedding.length; i++) expect(embedding[i]).toBeCloseTo(embeddings[0]![i]!, 6);
    expect(sim.stats().requests['/api/embeddings']).toBe(1);
  });

  it('an empty prompt answers no vector, and keep_alive: 0 unloads the model', async () => {
    const answer = await client.embeddings({ model: 'nomic-embed-text', prompt: '', keep_alive: 0 });
    expect(answer).toEqual({ embedding: [] });
    await waitFor(() => !sim.stats().loadedModels.includes('nomic-embed-text:latest'));
  });

  it("an unknown model is OLLAMA_MODEL_NOT_FOUND with Ollama's own text", async () => {
    const error = await failure(client.embeddings({ model: 'x', prompt: 'hi' }));
    expect(error).toMatchObject({ code: 'OLLAMA_MODEL_NOT_FOUND', status: 404, model: 'x' });
    expect(error.ollamaMessage).toBe('model "x" not found, try pulling it first');
  });

  it('validates the answer and names the wrong field', async () => {
    raw = await startRawServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"embedding":[0.5,"a"]}');
    });
    const strict = new OllamaClient({ host: raw.url });
    try {
      const error = await failure(strict.embeddings({ model: 'm', prompt: 'hi' }));
      expect(error.code).toBe('OLLAMA_PROTOCOL_ERROR');
      expect(error.message).toContain('an embeddings response of an unexpected shape (embedding:');
      expect(JSON.parse(raw.received[0]!.body)).toEqual({ model: 'm', prompt: 'hi' });
    } finally {
      await strict.close();
    }
  });

  it('throws a TypeError for a request without a model, at the call', () => {
    expect(() => client.embeddings({ prompt: 'x' } as never)).toThrow(
      new TypeError('Expected `model` of the embeddings request to be a non-empty string, got undefined'),
    );
  });
});
