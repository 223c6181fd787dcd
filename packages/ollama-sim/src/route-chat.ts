/** `POST /api/chat`. */
import { chatFinal } from './chunks.js';
import { checkCompletionModel, complete, loadOrUnload } from './completion-request.js';
import { renderChatPrompt } from './prompt-template.js';
import { decodeRequest } from './request-decode.js';
import type { RequestContext } from './sim-state.js';
import type { ScriptInput } from './types.js';

type ChatMessage = ScriptInput['messages'][number];

function readMessages(value: unknown): ChatMessage[] {
  if (!Array.isArray(value)) return [];
  return value.map((raw: Record<string, unknown> | null) => {
    const message: ChatMessage = {
      role: typeof raw?.role === 'string' ? raw.role.toLowerCase() : '',
      content: typeof raw?.content === 'string' ? raw.content : '',
    };
    if (Array.isArray(raw?.tool_calls)) message.tool_calls = raw.tool_calls;
    if (typeof raw?.tool_name === 'string') message.tool_name = raw.tool_name;
    if (Array.isArray(raw?.images)) message.images = raw.images as string[];
    return message;
  });
}

export async function handleChat(context: RequestContext): Promise<void> {
  const body = decodeRequest(context.body, 'ChatRequest');
  const tools = (Array.isArray(body.tools) ? body.tools : []) as ScriptInput['tools'];
  const request = checkCompletionModel(context, body, 'chat', tools);
  const messages = readMessages(body.messages);
  if (messages.length === 0) {
    await loadOrUnload(context, request, body, (reason) => chatFinal(request.modelName, {}, reason));
    return;
  }
  const format = body.format ?? undefined;
  await complete(
    context,
    request,
    body,
    { text: renderChatPrompt(messages, tools), withContext: false },
    { messages, tools, ...(format === undefined ? {} : { format }) },
  );
}
