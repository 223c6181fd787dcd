import { waitFor } from '@lunar/dev-kit';
import type { OllamaSim } from '@lunar/ollama-sim';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatResponse } from '../src/index.js';
import { failure, fixtures, user } from './helpers.js';

const TOKENS = 2000;
const { sim: startSim, client: startClient, closeAll } = fixtures();

afterEach(closeAll);

/** A simulator whose model answers with TOKENS tokens, at `tokensPerSecond`. */
function longAnswers(tokensPerSecond: number): Promise<OllamaSim> {
  return startSim(0, {
    models: [{ name: 'llama3.2:3b', capabilities: ['completion'], answerTokens: TOKENS }],
    latency: { loadMs: 0, overheadMs: 0, promptTokensPerSecond: Number.POSITIVE_INFINITY, tokensPerSecond },
  });
}

// A seed makes the answer the same on every call.
const request = { model: 'llama3.2:3b', messages: user('Tell me a long story'), options: { seed: 7 } };

function expectTooLong(error: Error, limit: number): void {
  expect(error.message).toContain(`the chat answer exceeded maxBodyBytes (${limit} bytes)`);
  expect(error.message).toContain('iterate the stream instead for very long answers, or raise maxBodyBytes');
}

describe('a streamed answer longer than maxBodyBytes', () => {
  it('still yields every chunk to a loop, while final() rejects with OLLAMA_PROTOCOL_ERROR', async () => {
    const sim = await longAnswers(Number.POSITIVE_INFINITY);
    const stream = startClient({ host: sim.url, maxBodyBytes: 1000 }).chat(request);
    const chunks: ChatResponse[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const last = chunks.at(-1);
    expect(last?.done).toBe(true);
    expect(last?.eval_count).toBe(TOKENS);
    expect(chunks.filter((chunk) => chunk.message.content !== '')).toHaveLength(TOKENS);
    expect(chunks.map((chunk) => chunk.message.content).join('').length).toBeGreaterThan(1000);
    expect(stream.timings).toMatchObject({ chunks: chunks.length, evalCount: TOKENS });
    const error = await failure(stream.final());
    expect(error.code).toBe('OLLAMA_PROTOCOL_ERROR');
    expectTooLong(error, 1000);
    expect(error.host).toBe(sim.url);
    expect(error.model).toBe('llama3.2:3b');
  });

  it('counts the text by its length: final() gives an answer exactly at the limit, not one past it', async () => {
    const sim = await longAnswers(Number.POSITIVE_INFINITY);
    const answer = await startClient({ host: sim.url }).chat(request).final();
    const length = answer.message.content.length;
    expect(length).toBeGreaterThan(1000);
    const atLimit = await startClient({ host: sim.url, maxBodyBytes: length }).chat(request).final();
    expect(atLimit.message.content).toBe(answer.message.content);
    const error = await failure(
      startClient({ host: sim.url, maxBodyBytes: length - 1 })
        .chat(request)
        .final(),
    );
    expectTooLong(error, length - 1);
  });

  it('rejects a final() called after the limit at once; the loop goes on to the end', async () => {
    const sim = await longAnswers(Number.POSITIVE_INFINITY);
    const stream = startClient({ host: sim.url, maxBodyBytes: 1000 }).chat(request);
    let text = '';
    let early: Promise<unknown> | undefined;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.message.content;
      if (early === undefined && text.length > 1000) early = failure(stream.final());
    }
    expect(chunks).toBe(TOKENS + 1);
    expectTooLong((await early) as Error, 1000);
  });

  it('closes the request when final() is the only reader, so Ollama stops generating', async () => {
    // 2000 tokens at 400 tokens/s take 5 s; the answer passes 1000 characters in well under one.
    const sim = await longAnswers(400);
    const stream = startClient({ host: sim.url, maxBodyBytes: 1000 }).chat(request);
    const error = await failure(stream.final());
    expectTooLong(error, 1000);
    await waitFor(() => sim.stats().clientDisconnects === 1);
    expect(sim.stats().generationsInFlight).toBe(0);
    expect(stream.timings.chunks).toBeLessThan(TOKENS);
    expect(await failure(stream.final())).toBe(error);
  });
});
