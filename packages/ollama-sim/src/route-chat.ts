/** `POST /api/chat`. */
import { chatFinal } from './chunks.js';
import { checkCompletionModel, complete, loadOrUnload } from './completion-request.js';
import { decodeRequest } from './request-decode.js';
import type { AnswerContext } from './sim-state.js';
import type { ScriptInput } from './types.js';

type ChatMessage = ScriptInput['messages'][number];
type ChatTool = ScriptInput['tools'][number];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function readMessages(value: unknown): ChatMessage[] {
  if (!Array.isArray(value)) return [];
  return value.map((raw: unknown) => {
    const fields = isRecord(raw) ? raw : {};
    const message: ChatMessage = { role: text(fields.role).toLowerCase(), content: text(fields.content) };
    if (typeof fields.thinking === 'string' && fields.thinking !== '') message.thinking = fields.thinking;
    if (Array.isArray(fields.tool_calls)) message.tool_calls = fields.tool_calls;
    if (typeof fields.tool_name === 'string') message.tool_name = fields.tool_name;
    if (Array.isArray(fields.images)) message.images = fields.images as string[];
    return message;
  });
}

/** Tools as Go decodes them: a missing `function` or `name` is an empty one, not an error. */
function readTools(value: unknown): ChatTool[] {
  if (!Array.isArray(value)) return [];
  return value.map((raw: unknown) => {
    const fields = isRecord(raw) ? raw : {};
    const fn = isRecord(fields.function) ? fields.function : {};
    return {
      type: text(fields.type),
      ...(fields.items === undefined ? {} : { items: fields.items }),
      function: {
        name: text(fn.name),
        ...(typeof fn.description === 'string' ? { description: fn.description } : {}),
        ...(fn.parameters === undefined ? {} : { parameters: fn.parameters }),
      },
    };
  });
}

export async function handleChat(context: AnswerContext): Promise<void> {
  const body = decodeRequest(context.body, 'ChatRequest');
  const tools = readTools(body.tools);
  const request = checkCompletionModel(context, body, 'chat', tools);
  const messages = readMessages(body.messages);
  if (messages.length === 0) {
    await loadOrUnload(context, request, body, (reason) => chatFinal(request.modelName, {}, reason));
    return;
  }
  const format = body.format ?? undefined;
  const rendered = request.model.template.render({ messages, tools, think: request.thinkValue });
  const images = messages.reduce((count, message) => count + (message.images?.length ?? 0), 0);
  await complete(
    context,
    request,
    body,
    { text: rendered, withContext: false, images },
    { messages, tools, ...(format === undefined ? {} : { format }) },
  );
}
