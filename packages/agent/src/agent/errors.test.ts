import { MemoryError } from '@lunar/memory';
import { MemoryCacheError } from '@lunar/memory-cache';
import { OllamaError } from '@lunar/ollama-stream';
import { describe, expect, it } from 'vitest';
import { ArithmeticError, evaluateArithmetic } from '../tools/arithmetic.js';
import { AgentError, isAgentError, toAgentError } from './errors.js';

const live = new AbortController().signal;

describe('toAgentError', () => {
  it('tells Ollama failures apart by their code, keeping the fields callers need', () => {
    const missing = toAgentError(
      new OllamaError('OLLAMA_MODEL_NOT_FOUND', 'Model "qwen3:8b" is not there', { model: 'qwen3:8b' }),
      live,
      'llama3.2:3b',
    );
    expect(missing).toMatchObject({
      code: 'AGENT_MODEL_NOT_FOUND',
      model: 'qwen3:8b',
      pullCommand: 'ollama pull qwen3:8b',
    });
    // Ollama did not say which model: the one the call asked for.
    expect(toAgentError(new OllamaError('OLLAMA_MODEL_NOT_FOUND', 'no'), live, 'llama3.2:3b')).toMatchObject({
      model: 'llama3.2:3b',
      pullCommand: 'ollama pull llama3.2:3b',
    });
    expect(
      toAgentError(new OllamaError('OLLAMA_UNREACHABLE', 'down', { host: 'http://10.0.0.1:11434' }), live),
    ).toMatchObject({ code: 'AGENT_OLLAMA_UNREACHABLE', host: 'http://10.0.0.1:11434', message: 'down' });
    expect(toAgentError(new OllamaError('OLLAMA_BUSY', 'busy'), live).code).toBe('AGENT_LLM_FAILED');
    expect(toAgentError(new OllamaError('OLLAMA_ABORTED', 'stop'), live).code).toBe('AGENT_ABORTED');
  });

  it("maps the memory store's errors by class, not by a code prefix", () => {
    const failed = toAgentError(new MemoryError('MEMORY_EMBED_FAILED', 'the embedder failed'), live);
    expect(failed).toMatchObject({
      code: 'AGENT_MEMORY_FAILED',
      message: 'The memory search failed: the embedder failed',
    });
    // A memory-cache error starts with MEMORY_ too, but it is not the memory store's.
    const cache = new MemoryCacheError('MEMORY_CACHE_LISTENER_FAILED', 'listener threw');
    expect(toAgentError(cache, live).code).toBe('AGENT_INTERNAL');
    // Nor is a look-alike object that merely carries such a code.
    expect(toAgentError({ code: 'OLLAMA_UNREACHABLE', message: 'x' }, live).code).toBe('AGENT_INTERNAL');
  });

  it('an abort wins, and an AgentError the turn aborted with is kept', () => {
    const controller = new AbortController();
    controller.abort(new Error('Ctrl-C'));
    expect(toAgentError(new Error('socket closed'), controller.signal).code).toBe('AGENT_ABORTED');
    const refused = new AbortController();
    const reason = new AgentError('AGENT_GUARD_REFUSED', 'no', { guard: 'prompt-injection' });
    refused.abort(reason);
    expect(toAgentError(new Error('x'), refused.signal)).toBe(reason);
  });
});

describe('isAgentError', () => {
  it('checks the class and, when given, the code', () => {
    const error = new AgentError('AGENT_LLM_FAILED', 'busy', { host: 'http://h:1' });
    expect(isAgentError(error)).toBe(true);
    expect(isAgentError(error, 'AGENT_LLM_FAILED')).toBe(true);
    expect(isAgentError(error, 'AGENT_ABORTED')).toBe(false);
    expect(isAgentError({ code: 'AGENT_LLM_FAILED' })).toBe(false);
  });

  it('covers ArithmeticError, whose code is AGENT_INVALID_EXPRESSION and which says where', () => {
    let thrown: unknown;
    try {
      evaluateArithmetic('2 * (3 +');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ArithmeticError);
    expect(isAgentError(thrown, 'AGENT_INVALID_EXPRESSION')).toBe(true);
    expect(thrown).toMatchObject({ name: 'ArithmeticError', position: 8 });
  });
});
