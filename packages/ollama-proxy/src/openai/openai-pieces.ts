import { randomBytes } from 'node:crypto';
import type { LLMChunk } from '@lunar/llm-cache';

type Json = Record<string, unknown>;

/**
 * One piece of an OpenAI-compatible answer as the LLM cache holds it: the host's SSE event or
 * whole body (`data`, parsed; `'[DONE]'` for the end of a stream), plus, beside it, the fields the
 * cache reads to tell a complete answer worth storing: `done` on `[DONE]` and on a whole body, and
 * the text, reasoning, tool calls or vectors the piece carries (references into `data`, not copies).
 * A stream cut short never gets its `[DONE]`, so it is never stored.
 */
export interface OpenAIPiece extends LLMChunk {
  data: Json | '[DONE]';
}

export const DONE_PIECE: OpenAIPiece = { data: '[DONE]', done: true };

interface Choice {
  delta?: { content?: unknown; reasoning?: unknown; tool_calls?: unknown };
  message?: { content?: unknown; reasoning?: unknown; tool_calls?: unknown };
  text?: unknown;
}

/** A piece for one SSE event or whole body from the host. */
export function pieceOf(data: Json, whole: boolean): OpenAIPiece {
  const piece: OpenAIPiece = { data };
  if (whole) piece.done = true;
  const list = data.data;
  if (Array.isArray(list)) {
    // Embeddings: the vectors (numbers, or base64 strings) as the cache's answer check reads them.
    piece.embeddings = list.map((item: Json) => item?.embedding) as LLMChunk['embeddings'];
    return piece;
  }
  const choice = (Array.isArray(data.choices) ? data.choices[0] : undefined) as Choice | undefined;
  const part = choice?.delta ?? choice?.message;
  const text = part?.content ?? choice?.text;
  if (typeof text === 'string' && text !== '') piece.response = text;
  if (typeof part?.reasoning === 'string' && part.reasoning !== '') piece.thinking = part.reasoning;
  if (Array.isArray(part?.tool_calls) && part.tool_calls.length > 0)
    piece.tool_calls = part.tool_calls as LLMChunk['tool_calls'];
  return piece;
}

/** The SSE event of a piece, as the host wrote it. */
export function eventOf(piece: OpenAIPiece, encode: (value: unknown) => string): string {
  return `data: ${piece.data === '[DONE]' ? '[DONE]' : encode(piece.data)}\n\n`;
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

function toolCallId(): string {
  const bytes = randomBytes(8);
  return `call_${Array.from(bytes, (byte) => ID_ALPHABET[byte % ID_ALPHABET.length]).join('')}`;
}

/**
 * A replayed answer made to look like a new one, as every Ollama answer is: Ollama draws a new
 * `chatcmpl-N`/`cmpl-N` id and tool-call ids for each answer and stamps `created` with its time, so
 * a hit gets fresh ones too (the same for every piece of one replay); the rest is as stored.
 */
export class FreshIds {
  readonly #created = Math.floor(Date.now() / 1000);
  readonly #ids = new Map<string, string>();

  #fresh(id: string): string {
    let fresh = this.#ids.get(id);
    if (fresh === undefined) {
      const dash = id.lastIndexOf('-');
      fresh = id.startsWith('call_')
        ? toolCallId()
        : `${dash === -1 ? 'chatcmpl' : id.slice(0, dash)}-${Math.floor(Math.random() * 999)}`;
      this.#ids.set(id, fresh);
    }
    return fresh;
  }

  apply(piece: OpenAIPiece): OpenAIPiece {
    const data = piece.data;
    if (data === '[DONE]' || typeof data.id !== 'string') return piece;
    const copy: Json = { ...data, id: this.#fresh(data.id) };
    if (typeof data.created === 'number') copy.created = this.#created;
    if (Array.isArray(data.choices)) {
      copy.choices = data.choices.map((choice: Choice & Json) => {
        const key = choice.delta !== undefined ? 'delta' : 'message';
        const part = choice[key] as Json | undefined;
        if (!Array.isArray(part?.tool_calls)) return choice;
        const calls = part.tool_calls.map((call: Json) =>
          typeof call.id === 'string' ? { ...call, id: this.#fresh(call.id) } : call,
        );
        return { ...choice, [key]: { ...part, tool_calls: calls } };
      });
    }
    return { ...piece, data: copy };
  }
}
