/** `/v1/chat/completions` requests into native `/api/chat` ones, as Ollama's `FromChatRequest`. */
import { httpError } from '../errors.js';
import { samplingOptions } from './request-body.js';

type Json = Record<string, unknown>;

const REASONING: Record<string, boolean | string> = {
  none: false,
  minimal: 'low',
  low: 'low',
  medium: 'medium',
  high: 'high',
  max: 'max',
  xhigh: 'max',
  ultra: 'max',
};

function nativeToolCalls(calls: unknown): Json[] | undefined {
  if (!Array.isArray(calls)) return undefined;
  return calls.map((call: Json) => {
    const fn = (call?.function ?? {}) as Json;
    let args: unknown;
    try {
      args = JSON.parse(typeof fn.arguments === 'string' ? fn.arguments : '');
    } catch {
      throw httpError(400, 'invalid tool call arguments');
    }
    return { id: call?.id ?? '', function: { index: 0, name: fn.name ?? '', arguments: args } };
  });
}

/** The image bytes (base64) of an `image_url` part: data URLs only. */
function imageData(url: string): string {
  if (url.startsWith('http://') || url.startsWith('https://')) {
    throw httpError(400, 'image URLs are not currently supported, please use base64 encoded data instead');
  }
  const match = /^data:(?:image\/(?:jpeg|jpg|png|webp))?;base64,(.*)$/s.exec(url);
  if (match === null || !/^[A-Za-z0-9+/]*={0,2}$/.test(match[1]!))
    throw httpError(400, 'invalid image input');
  return match[1]!;
}

function toolNameFor(messages: Json[], id: unknown): string {
  for (const message of [...messages].reverse()) {
    for (const call of (message.tool_calls as Json[] | undefined) ?? []) {
      if (call?.id === id) return String((call.function as Json | undefined)?.name ?? '');
    }
  }
  return '';
}

function nativeMessages(messages: Json[]): Json[] {
  const out: Json[] = [];
  for (const message of messages) {
    const role = message.role;
    const toolName =
      String(role).toLowerCase() === 'tool'
        ? String(message.name ?? '') ||
          (message.tool_call_id ? toolNameFor(messages, message.tool_call_id) : '')
        : '';
    const calls = nativeToolCalls(message.tool_calls);
    const extra = (base: Json): Json => {
      if (message.reasoning) base.thinking = message.reasoning;
      if (calls) base.tool_calls = calls;
      if (toolName) base.tool_name = toolName;
      if (message.tool_call_id) base.tool_call_id = message.tool_call_id;
      return base;
    };
    const content = message.content;
    if (typeof content === 'string') {
      out.push(extra({ role, content }));
    } else if (Array.isArray(content)) {
      const parts: Json[] = content.map((part: Json) => {
        if (part?.type === 'text' && typeof part.text === 'string') return { role, content: part.text };
        if (part?.type === 'image_url') {
          const url =
            typeof part.image_url === 'string' ? part.image_url : (part.image_url as Json | undefined)?.url;
          if (typeof url !== 'string') throw httpError(400, 'invalid message format');
          return { role, content: '', images: [imageData(url)] };
        }
        throw httpError(400, 'invalid message format');
      });
      if (parts.length > 0 && calls) extra(parts[parts.length - 1]!);
      out.push(...parts);
    } else {
      if (calls === undefined) {
        throw httpError(
          400,
          `invalid message content type: ${content === null || content === undefined ? '<nil>' : typeof content}`,
        );
      }
      out.push(extra({ role, content: '' }));
    }
  }
  return out;
}

/** The native chat request for an OpenAI one; throws a 400 for what Ollama refuses. */
export function nativeChatRequest(body: Json): Json {
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    throw httpError(400, "[] is too short - 'messages'");
  }
  const reasoning = body.reasoning as Json | null | undefined;
  const effort = reasoning != null ? reasoning.effort : body.reasoning_effort;
  let think: boolean | string | undefined;
  if (typeof effort === 'string' && effort !== '') {
    think = REASONING[effort];
    if (think === undefined) {
      throw httpError(
        400,
        `invalid reasoning value: ${JSON.stringify(effort)} (must be "minimal", "low", "medium", "high", "xhigh", "ultra", "max", or "none")`,
      );
    }
  }
  let format: unknown;
  const responseFormat = body.response_format as Json | null | undefined;
  const formatType = typeof responseFormat?.type === 'string' ? responseFormat.type.trim().toLowerCase() : '';
  if (formatType === 'json_object') format = 'json';
  if (formatType === 'json_schema') format = (responseFormat?.json_schema as Json | undefined)?.schema;
  return {
    model: body.model ?? '',
    messages: nativeMessages(body.messages as Json[]),
    ...(format === undefined ? {} : { format }),
    options: samplingOptions(body, false),
    stream: body.stream === true,
    ...(Array.isArray(body.tools) ? { tools: body.tools } : {}),
    ...(think === undefined ? {} : { think }),
  };
}
