import { afterEach, describe, expect, it } from 'vitest';
import { OllamaClient } from '../src/index.js';
import { failure } from './helpers.js';
import { chunkLine, finalLine, type Handler, ndjson, type RawServer, startRawServer } from './raw-server.js';

let server: RawServer | undefined;
let client: OllamaClient | undefined;

afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

async function serve(handler: Handler): Promise<OllamaClient> {
  server = await startRawServer(handler);
  client = new OllamaClient({ host: server.url, retry: { retries: 0 } });
  return client;
}

async function drain(stream: AsyncIterable<unknown>): Promise<unknown[]> {
  const seen: unknown[] = [];
  for await (const chunk of stream) seen.push(chunk);
  return seen;
}

const chat = { model: 'm', messages: [{ role: 'user', content: 'hi' }] };

describe('protocol errors (a bare server)', () => {
  it('streams chunks and gathers them, sending the request as JSON with stream left to Ollama', async () => {
    const ollama = await serve((_request, response) =>
      ndjson(response, [chunkLine('Hel'), chunkLine('lo'), finalLine()]),
    );
    const stream = ollama.chat(chat);
    const seen = await drain(stream);
    expect(seen).toHaveLength(3);
    const final = await stream.final();
    expect(final.message).toEqual({ role: 'assistant', content: 'Hello' });
    expect(final.eval_count).toBe(3);
    expect(server!.received[0]).toMatchObject({ method: 'POST', url: '/api/chat' });
    expect(JSON.parse(server!.received[0]!.body)).toEqual(chat);
    expect(server!.received[0]!.headers['content-type']).toBe('application/json');
  });

  it('reports a malformed line with its number, after the chunks before it', async () => {
    const ollama = await serve((_request, response) =>
      ndjson(response, [chunkLine('a'), '{"model":', finalLine()]),
    );
    const seen: unknown[] = [];
    const error = await failure(
      (async () => {
        for await (const chunk of ollama.chat(chat)) seen.push(chunk);
      })(),
    );
    expect(seen).toHaveLength(1);
    expect(error.code).toBe('OLLAMA_PROTOCOL_ERROR');
    expect(error.line).toBe(2);
    expect(error.message).toContain('line 2');
  });

  it('reports a stream that ends without a final chunk', async () => {
    const ollama = await serve((_request, response) => ndjson(response, [chunkLine('a'), chunkLine('b')]));
    const stream = ollama.chat(chat);
    const error = await failure(stream.final());
    expect(error.code).toBe('OLLAMA_PROTOCOL_ERROR');
    expect(error.message).toContain('ended before its final chunk (done: true)');
  });

  it('accepts a final line without a newline before the end', async () => {
    const ollama = await serve((_request, response) => {
      response.writeHead(200);
      response.end(`${chunkLine('x')}\r\n\r\n${finalLine()}`);
    });
    expect((await ollama.chat(chat).final()).message.content).toBe('x');
  });

  it('reports a line that is not a chat chunk', async () => {
    const ollama = await serve((_request, response) => ndjson(response, ['[1,2]']));
    const error = await failure(ollama.chat(chat).final());
    expect(error.code).toBe('OLLAMA_PROTOCOL_ERROR');
    expect(error.message).toContain('line 1 of the chat stream is not an object');
    const generate = ollama.generate({ model: 'm', prompt: 'p' });
    const wrong = await failure(generate.final());
    expect(wrong.message).toContain('is not an object');
  });

  it('validates the final chunk and names the wrong field', async () => {
    const ollama = await serve((_request, response) =>
      ndjson(response, [chunkLine('a'), finalLine({ eval_count: 'many' })]),
    );
    const error = await failure(ollama.chat(chat).final());
    expect(error.code).toBe('OLLAMA_PROTOCOL_ERROR');
    expect(error.message).toContain('eval_count');
  });

  it('validates tool calls as they arrive', async () => {
    const badCall = JSON.stringify({
      model: 'm',
      created_at: 't',
      message: { role: 'assistant', content: '', tool_calls: [{ function: { name: 'f', arguments: '{}' } }] },
      done: false,
    });
    const ollama = await serve((_request, response) => ndjson(response, [badCall, finalLine()]));
    const error = await failure(ollama.chat(chat).final());
    expect(error.code).toBe('OLLAMA_PROTOCOL_ERROR');
    expect(error.message).toContain('message.tool_calls.0.function.arguments');
  });

  it('reports a non-JSON body of a non-streamed call', async () => {
    const ollama = await serve((_request, response) => response.end('<html>proxy</html>'));
    const error = await failure(ollama.version());
    expect(error.code).toBe('OLLAMA_PROTOCOL_ERROR');
    expect(error.message).toContain('not JSON, starting with "<html>proxy</html>"');
  });

  it('refuses a non-streamed body over maxBodyBytes', async () => {
    server = await startRawServer((_request, response) =>
      response.end(JSON.stringify({ version: 'x'.repeat(5000) })),
    );
    client = new OllamaClient({ host: server.url, maxBodyBytes: 1000 });
    const error = await failure(client.version());
    expect(error.code).toBe('OLLAMA_PROTOCOL_ERROR');
    expect(error.message).toContain('larger than maxBodyBytes (1000 bytes)');
  });

  it('refuses a streamed line over maxLineBytes', async () => {
    server = await startRawServer((_request, response) =>
      ndjson(response, [chunkLine('y'.repeat(5000))], false),
    );
    client = new OllamaClient({ host: server.url, maxLineBytes: 1000 });
    const error = await failure(client.chat(chat).final());
    expect(error.code).toBe('OLLAMA_PROTOCOL_ERROR');
    expect(error.message).toContain('longer than maxLineBytes (1000 bytes)');
  });

  it('uses the body text of a non-JSON error, and HTTP_ERROR for a 404 that is not about a model', async () => {
    const ollama = await serve((_request, response) => {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('404 page not found');
    });
    const error = await failure(ollama.chat(chat).final());
    expect(error.code).toBe('OLLAMA_HTTP_ERROR');
    expect(error.status).toBe(404);
    expect(error.message).toBe(`Ollama at ${server!.url} answered 404: 404 page not found`);
    expect(error.ollamaMessage).toBeUndefined();
  });

  it('reads only the first 64 KiB of an error body', async () => {
    const ollama = await serve((_request, response) => {
      response.writeHead(500);
      response.end('e'.repeat(1024 * 1024));
    });
    const error = await failure(ollama.tags());
    expect(error.code).toBe('OLLAMA_HTTP_ERROR');
    expect(error.message.length).toBeLessThan(700);
  });
});
