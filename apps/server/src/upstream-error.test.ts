import { LLMCacheError } from '@lunar/llm-cache';
import { OllamaError } from '@lunar/ollama-stream';
import { describe, expect, it } from 'vitest';
import { errorAnswer } from './upstream-error.js';

const host = 'http://127.0.0.1:11434';

describe('errorAnswer', () => {
  it("relays the upstream's status and own text", () => {
    const notFound = new OllamaError(
      'OLLAMA_MODEL_NOT_FOUND',
      `Model "x" is not on the Ollama server at ${host}: run \`ollama pull x\` (Ollama said: model 'x' not found)`,
      { status: 404 },
    );
    expect(errorAnswer(notFound)).toEqual({ status: 404, error: "model 'x' not found" });
    const http = new OllamaError(
      'OLLAMA_HTTP_ERROR',
      `Ollama at ${host} answered 400: "x" does not support thinking`,
      {
        status: 400,
      },
    );
    expect(errorAnswer(http)).toEqual({ status: 400, error: '"x" does not support thinking' });
    const busy = new OllamaError('OLLAMA_BUSY', `Ollama at ${host} is busy (503): server busy`, {
      status: 503,
    });
    expect(errorAnswer(busy)).toEqual({ status: 503, error: 'server busy' });
  });

  it('maps transport failures to gateway statuses and hides anything unexpected', () => {
    expect(errorAnswer(new OllamaError('OLLAMA_UNREACHABLE', 'refused')).status).toBe(502);
    expect(errorAnswer(new OllamaError('OLLAMA_TIMEOUT', 'late')).status).toBe(504);
    expect(errorAnswer(new LLMCacheError('LLM_CACHE_INVALID_REQUEST', 'bad'))).toEqual({
      status: 400,
      error: 'bad',
    });
    expect(errorAnswer(new Error('secret /path'))).toEqual({ status: 500, error: 'internal server error' });
  });
});
