/**
 * `POST /v1/chat/completions`, answered by the native chat handler and translated as Ollama's
 * `ChatWriter` does (HEAD / v0.32.6+): streamed as SSE events `data: <chunk>`, the role on the
 * first chunk only, a reasoning chunk split from its content, a finish chunk with an empty delta,
 * a usage chunk with `stream_options.include_usage`, then `data: [DONE]`; or one
 * `chat.completion` object.
 */
import { goJson } from '../go-json.js';
import { handleChat } from '../route-chat.js';
import type { RequestContext } from '../sim-state.js';
import { nativeChatRequest } from './chat-request.js';
import { runNative, sendEvent, sendEvents } from './native-capture.js';
import { OPENAI_JSON } from './openai-error.js';
import { includesUsage, readOpenAIBody, responseId, unixSeconds, usageOf } from './request-body.js';

type Json = Record<string, unknown>;

interface NativeToolCall {
  id?: string;
  function?: { index?: number; name?: string; arguments?: unknown };
}

/** Native tool calls in OpenAI's shape: arguments as a compact JSON string, `index` kept. */
export function openAIToolCalls(calls: NativeToolCall[] | undefined): Json[] {
  return (calls ?? []).map((call) => ({
    id: call.id ?? '',
    index: call.function?.index ?? 0,
    type: 'function',
    function: { name: call.function?.name ?? '', arguments: goJson(call.function?.arguments ?? null) },
  }));
}

export async function handleChatCompletions(context: RequestContext): Promise<void> {
  const body = readOpenAIBody(context.body, 'ChatCompletionRequest');
  const request = nativeChatRequest(body);
  const id = responseId('chatcmpl');
  const includeUsage = includesUsage(body);
  let created: number | undefined;
  let roleSent = false;
  let toolCallSent = false;

  const chunk = (native: Json, choices: Json[], usage?: Json): string =>
    goJson({
      id,
      object: 'chat.completion.chunk',
      created,
      model: native.model,
      system_fingerprint: 'fp_ollama',
      choices,
      ...(usage === undefined ? {} : { usage }),
    });
  const delta = (fields: Json): Json[] => [{ index: 0, delta: fields, finish_reason: null }];

  await runNative(context, request, handleChat, {
    async line(json) {
      const native = JSON.parse(json) as Json;
      created ??= unixSeconds(native.created_at);
      const message = (native.message ?? {}) as {
        content?: string;
        thinking?: string;
        tool_calls?: NativeToolCall[];
      };
      const calls = openAIToolCalls(message.tool_calls);
      const thinking = message.thinking ?? '';
      const trailer = native.done === true && roleSent && !message.content && !thinking && calls.length === 0;
      const events: string[] = [];
      if (!trailer) {
        const role = roleSent ? {} : { role: 'assistant' };
        const content = message.content ?? '';
        if (thinking !== '' && (content !== '' || calls.length > 0)) {
          events.push(chunk(native, delta({ ...role, reasoning: thinking })));
          events.push(chunk(native, delta({ content, ...(calls.length > 0 ? { tool_calls: calls } : {}) })));
        } else {
          const fields: Json = { ...role, content };
          if (thinking !== '') fields.reasoning = thinking;
          if (calls.length > 0) fields.tool_calls = calls;
          events.push(chunk(native, delta(fields)));
        }
        roleSent = true;
        if (calls.length > 0) toolCallSent = true;
      }
      if (native.done === true) {
        let reason =
          typeof native.done_reason === 'string' && native.done_reason !== '' ? native.done_reason : 'stop';
        if (reason === 'stop' && toolCallSent) reason = 'tool_calls';
        events.push(chunk(native, [{ index: 0, delta: {}, finish_reason: reason }]));
        if (includeUsage) events.push(chunk(native, [], usageOf(native)));
        events.push('[DONE]');
      }
      return sendEvents(context, events);
    },
    async body(status, json) {
      const native = JSON.parse(json) as Json;
      const message = (native.message ?? {}) as {
        role?: string;
        content?: string;
        thinking?: string;
        tool_calls?: NativeToolCall[];
      };
      const calls = openAIToolCalls(message.tool_calls);
      let reason: string | null =
        typeof native.done_reason === 'string' && native.done_reason !== '' ? native.done_reason : null;
      if (reason === 'stop' && calls.length > 0) reason = 'tool_calls';
      const answer = {
        id,
        object: 'chat.completion',
        created: unixSeconds(native.created_at),
        model: native.model,
        system_fingerprint: 'fp_ollama',
        choices: [
          {
            index: 0,
            message: {
              role: message.role ?? 'assistant',
              content: message.content ?? '',
              ...(message.thinking ? { reasoning: message.thinking } : {}),
              ...(calls.length > 0 ? { tool_calls: calls } : {}),
            },
            finish_reason: reason,
          },
        ],
        usage: usageOf(native),
      };
      await context.writer.text(status, `${goJson(answer)}\n`, OPENAI_JSON);
    },
    end() {
      context.writer.end();
    },
    async failed() {
      // Ollama's writer decodes the `{"error"}` line as an empty response: one empty delta, no finish, no [DONE].
      created ??= Math.floor(Date.now() / 1000);
      await sendEvent(
        context,
        chunk({ model: request.model }, delta({ ...(roleSent ? {} : { role: 'assistant' }), content: '' })),
      );
      context.writer.end();
    },
  });
}
