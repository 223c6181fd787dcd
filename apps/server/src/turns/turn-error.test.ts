import type { ErrorEvent, TurnProfile } from '@lunar/agent';
import { describe, expect, it } from 'vitest';
import { publicTurnError } from './turn-error.js';

const profile = { stages: [] } as unknown as TurnProfile;
const error = (code: ErrorEvent['code'], message: string): ErrorEvent => ({
  type: 'error',
  code,
  message,
  profile,
});

describe('publicTurnError', () => {
  it('replaces the texts that carry internal detail with a fixed one per code', () => {
    const cases: Array<[ErrorEvent['code'], string]> = [
      ['AGENT_OLLAMA_UNREACHABLE', 'The model server could not be reached. Check that Ollama is running.'],
      [
        'AGENT_LLM_FAILED',
        'The model server failed to answer (an error, or no answer in time). Try again; if it persists, see the server log.',
      ],
      ['AGENT_MEMORY_FAILED', 'The memory search failed. Try again; if it persists, see the server log.'],
      ['AGENT_INTERNAL', 'Something went wrong on the server. The server log has the details.'],
    ];
    for (const [code, message] of cases) {
      const shown = publicTurnError(error(code, 'Ollama at http://10.1.2.3:11434 answered 404: nope'), 'm');
      expect(shown).toEqual({ event: { type: 'error', code, message, profile }, replaced: true });
    }
  });

  it('keeps the pull advice of model-not-found, without the address', () => {
    const agent =
      'Model "qwen3:8b" is not on the Ollama server at http://10.1.2.3:11434: run `ollama pull qwen3:8b` (Ollama said: x)';
    const missing = {
      ...error('AGENT_MODEL_NOT_FOUND', agent),
      model: 'qwen3:8b',
      pullCommand: 'ollama pull qwen3:8b',
    };
    expect(publicTurnError(missing, 'llama3.2:3b').event.message).toBe(
      'The model "qwen3:8b" is not on the model server: run `ollama pull qwen3:8b` there.',
    );
    expect(publicTurnError(error('AGENT_MODEL_NOT_FOUND', 'not found'), 'llama3.2:3b').event.message).toBe(
      'The model "llama3.2:3b" is not on the model server: run `ollama pull llama3.2:3b` there.',
    );
  });

  it('sends the texts about the request as they are', () => {
    for (const code of [
      'AGENT_INVALID_INPUT',
      'AGENT_GUARD_REFUSED',
      'AGENT_MAX_TOOL_ROUNDS',
      'AGENT_ABORTED',
    ] as const) {
      const event = error(code, `a text for ${code}`);
      expect(publicTurnError(event, 'm')).toEqual({ event, replaced: false });
    }
  });
});
