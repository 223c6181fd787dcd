import { LLMCacheError } from '@lunar/llm-cache';
import { OllamaError } from '@lunar/ollama-stream';
import { describe, expect, it } from 'vitest';
import { errorAnswer } from './error-answer.js';
import { OllamaProxyError } from './errors.js';

const host = 'http://127.0.0.1:11434';

describe('errorAnswer', () => {
  it("relays the host's status and exactly the error text Ollama sent", () => {
    const notFound = new OllamaError(
      'OLLAMA_MODEL_NOT_FOUND',
      `Model "x" is not on the Ollama server at ${host}: run \`ollama pull x\``,
      { status: 404, ollamaMessage: "model 'x' not found" },
    );
    expect(errorAnswer(notFound)).toEqual({ status: 404, error: "model 'x' not found" });
    // The message's wording does not matter: only Ollama's own text is relayed.
    const http = new OllamaError('OLLAMA_HTTP_ERROR', 'anything at all (Ollama said: no)', {
      status: 400,
      ollamaMessage: '"x" does not support thinking: (Ollama said: y)',
    });
    expect(errorAnswer(http)).toEqual({
      status: 400,
      error: '"x" does not support thinking: (Ollama said: y)',
    });
    const busy = new OllamaError('OLLAMA_BUSY', `Ollama at ${host} is busy (503): server busy`, {
      status: 503,
      ollamaMessage: 'server busy',
    });
    expect(errorAnswer(busy)).toEqual({ status: 503, error: 'server busy' });
    const midStream = new OllamaError('OLLAMA_STREAM_ERROR', 'Ollama failed mid-stream: boom', {
      ollamaMessage: 'boom',
    });
    expect(errorAnswer(midStream)).toEqual({ status: 500, error: 'boom' });
  });

  it('keeps the status but not the page of a host error that is not Ollama\'s {"error"}', () => {
    const page = new OllamaError('OLLAMA_HTTP_ERROR', `Ollama at ${host} answered 502: <html>bad gateway`, {
      status: 502,
    });
    expect(errorAnswer(page)).toEqual({
      status: 502,
      error: 'the Ollama host answered 502 without an Ollama error message',
    });
    const noStatus = new OllamaError('OLLAMA_HTTP_ERROR', 'odd');
    expect(errorAnswer(noStatus).status).toBe(502);
  });

  it("answers failures on the way to the host in Lunar's words: no address, no library code", () => {
    const unreachable = new OllamaError(
      'OLLAMA_UNREACHABLE',
      'Cannot connect to Ollama at http://10.1.2.3:11434 (ECONNREFUSED, 3 attempts). Hosts: http://10.1.2.3:11434, http://10.1.2.4:11434.',
    );
    expect(errorAnswer(unreachable)).toEqual({
      status: 502,
      error: 'Lunar could not reach the Ollama host: check that Ollama is running where the proxy points',
    });
    const cutShort = new OllamaError(
      'OLLAMA_PROTOCOL_ERROR',
      `Ollama at ${host}: the connection closed before the end of the body (UND_ERR_SOCKET: other side closed)`,
    );
    expect(errorAnswer(cutShort).status).toBe(502);
    expect(errorAnswer(cutShort).error).not.toMatch(/UND_ERR|127\.0\.0\.1/);
    const late = new OllamaError('OLLAMA_TIMEOUT', `Ollama at ${host} sent no token within 30000 ms`, {
      deadline: 'headersMs',
    });
    expect(errorAnswer(late)).toEqual({
      status: 504,
      error: 'the Ollama host did not send the first token in time',
    });
    expect(errorAnswer(new OllamaProxyError('OLLAMA_PROXY_CLOSED', 'closing'))).toEqual({
      status: 503,
      error: 'request canceled',
    });
    expect(errorAnswer(new LLMCacheError('LLM_CACHE_INVALID_REQUEST', 'bad'))).toEqual({
      status: 400,
      error: 'bad',
    });
    expect(errorAnswer(new Error('secret /path'))).toEqual({ status: 500, error: 'internal server error' });
  });
});
