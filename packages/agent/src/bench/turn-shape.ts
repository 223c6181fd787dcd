import {
  type ChatRequest,
  type ChatResponse,
  type ChatStream,
  type Message,
  OllamaClient,
  type RequestOptions,
} from '@lunar/ollama-stream';
import { AgentError } from '../agent/errors.js';
import type { CallShape, TurnShape } from './lower-bound.js';

/** A model call a turn made: its request and, once it ended, its whole answer. */
export interface RecordedCall {
  request: ChatRequest;
  answer(): Promise<ChatResponse>;
}

/** An `OllamaClient` that keeps the chat requests made while `recording` is on, for `turnShape`. */
export class RecordingClient extends OllamaClient {
  recording = false;
  readonly calls: RecordedCall[] = [];

  override chat(request: ChatRequest & { stream: false }, options?: RequestOptions): Promise<ChatResponse>;
  override chat(request: ChatRequest & { stream?: true }, options?: RequestOptions): ChatStream;
  override chat(request: ChatRequest, options?: RequestOptions): ChatStream | Promise<ChatResponse>;
  override chat(request: ChatRequest, options?: RequestOptions): ChatStream | Promise<ChatResponse> {
    const result = super.chat(request, options);
    if (this.recording) {
      // A stream's final() reads what is left of it: only asked for once the turn has ended.
      const answer = () => (result instanceof Promise ? result : result.final());
      // The agent goes on appending to its messages: the request as it was sent is a copy.
      this.calls.push({ request: { ...request, messages: [...(request.messages ?? [])] }, answer });
    }
    return result;
  }

  /** The calls recorded since the last take, and recording off. */
  take(): RecordedCall[] {
    this.recording = false;
    return this.calls.splice(0);
  }
}

/** The prompt a request renders to on this engine (Ollama's `_debug_render_only`). */
async function render(client: OllamaClient, request: ChatRequest): Promise<string> {
  const response = await client.request({
    method: 'POST',
    path: '/api/chat',
    body: JSON.stringify({ ...request, stream: false, _debug_render_only: true }),
  });
  const body = (await response.body.json()) as { _debug_info?: { rendered_template?: unknown } };
  const rendered = body._debug_info?.rendered_template;
  if (response.status !== 200 || typeof rendered !== 'string') {
    throw new AgentError(
      'AGENT_BENCHMARK_FAILED',
      `The engine did not render the prompt (status ${response.status}): it needs _debug_render_only (Ollama 0.11.5 or later, or the simulator).`,
    );
  }
  return rendered;
}

/** Tokens of a raw prompt as the engine counts them (`prompt_eval_count` of a one-token generate). */
async function countTokens(client: OllamaClient, model: string, prompt: string): Promise<number> {
  const answer = await client.generate({
    model,
    prompt,
    raw: true,
    stream: false,
    options: { num_predict: 1, temperature: 0 },
  });
  if (answer.prompt_eval_count === undefined) {
    throw new AgentError('AGENT_BENCHMARK_FAILED', 'The engine did not report prompt_eval_count.');
  }
  return answer.prompt_eval_count;
}

function commonPrefix(a: string, b: string): string {
  let index = 0;
  while (index < a.length && index < b.length && a[index] === b[index]) index++;
  return a.slice(0, index);
}

/**
 * Prompt tokens after the part of `request`'s prompt that `blank` leaves alone: the request is
 * rendered as sent and with the messages `blank` picks emptied, and the text the two share is
 * what a cache could hold before those messages were known.
 */
async function tokensAfter(
  client: OllamaClient,
  request: ChatRequest,
  blank: (message: Message) => boolean,
): Promise<{ rendered: string; tokens: number; uncached: number }> {
  const messages = request.messages ?? [];
  const rendered = await render(client, request);
  const emptied = await render(client, {
    ...request,
    messages: messages.map((message) => (blank(message) ? { ...message, content: '' } : message)),
  });
  const tokens = await countTokens(client, request.model, rendered);
  const cacheable = await countTokens(client, request.model, commonPrefix(rendered, emptied));
  return { rendered, tokens, uncached: tokens - cacheable };
}

/**
 * What a turn's model calls had to do, counted by the engine that served them: for each call,
 * the prompt tokens no cache could have held, the tokens it wrote before the turn could go on,
 * and the tools it asked for (their durations from `toolMs`). The first call's cacheable part
 * is everything before the user's message (its last one): the system prompt, the tools, the
 * history, and the memories found too, which may repeat from the turn before; a later call's,
 * everything before its first tool result. So the bound is a strict one. Sends a few requests to
 * the engine (renders, and one-token generates that count).
 */
export async function turnShape(
  client: OllamaClient,
  calls: readonly RecordedCall[],
  options: { embeddings: number; toolMs: (name: string) => number },
): Promise<TurnShape> {
  const shapes: CallShape[] = [];
  for (const [index, call] of calls.entries()) {
    const answer = await call.answer();
    const { request } = call;
    const question = request.messages?.at(-1);
    const blank =
      index === 0
        ? (message: Message) => message === question
        : (message: Message) => message.role === 'tool';
    const prompt = await tokensAfter(client, request, blank);
    const toolCalls = answer.message.tool_calls ?? [];
    const written = answer.eval_count ?? 0;
    if (toolCalls.length > 0) {
      shapes.push({
        uncachedPromptTokens: prompt.uncached,
        writtenTokens: written,
        toolMs: toolCalls.map((toolCall) => options.toolMs(toolCall.function.name)),
      });
      continue;
    }
    // The answer's own tokens, counted where the model wrote them: after its prompt and thinking.
    const content = answer.message.content;
    const answerTokens =
      (await countTokens(client, request.model, prompt.rendered + content)) - prompt.tokens;
    shapes.push({
      uncachedPromptTokens: prompt.uncached,
      writtenTokens: Math.max(1, written - answerTokens + 1),
      toolMs: [],
    });
  }
  return { embeddings: options.embeddings, calls: shapes };
}
