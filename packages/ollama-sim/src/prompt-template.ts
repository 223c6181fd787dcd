/**
 * The simulator's prompt template. It is stable on purpose: system messages first, then the
 * tools as JSON, then the other messages in order, then the generation prompt. So a request
 * that keeps its system prompt and tools and only appends messages shares a token prefix with
 * the previous one, and a slot's prefix cache can serve it (see model-runner.ts).
 *
 *     <|system|>{system}\n          one per system message, in order
 *     <|tools|>{tools JSON}\n       when tools are offered
 *     <|user|>{content}\n           <|image|> per image before the content
 *     <|assistant|>{content}{<|tool_call|>{"name":…,"arguments":…} per call}\n
 *     <|tool|>{content}\n
 *     <|assistant|>                 the generation prompt
 *
 * What the model generates is appended right after `<|assistant|>`, in the same rendering as
 * an assistant message of the next request, so a multi-turn chat keeps hitting the cache.
 */
export interface TemplateMessage {
  role: string;
  content: string;
  images?: unknown[];
  tool_calls?: unknown[];
}

/** The rendering of a generated tool call, as it is decoded and as history renders it. */
export function renderToolCall(name: string, args: unknown): string {
  return `<|tool_call|>${JSON.stringify({ name, arguments: args })}`;
}

function renderCalls(calls: unknown[] | undefined): string {
  let out = '';
  for (const call of calls ?? []) {
    const fn = (call as { function?: { name?: unknown; arguments?: unknown } } | null)?.function;
    out += renderToolCall(String(fn?.name ?? ''), fn?.arguments ?? {});
  }
  return out;
}

function renderMessage(message: TemplateMessage): string {
  const images = '<|image|>'.repeat(message.images?.length ?? 0);
  return `<|${message.role}|>${images}${message.content}${renderCalls(message.tool_calls)}\n`;
}

/** Renders a chat request's prompt. */
export function renderChatPrompt(messages: TemplateMessage[], tools: unknown[]): string {
  let prompt = '';
  for (const message of messages) if (message.role === 'system') prompt += renderMessage(message);
  if (tools.length > 0) prompt += `<|tools|>${JSON.stringify(tools)}\n`;
  for (const message of messages) if (message.role !== 'system') prompt += renderMessage(message);
  return `${prompt}<|assistant|>`;
}

/** Renders a generate request's prompt (`raw` sends the prompt as is). */
export function renderGeneratePrompt(request: {
  prompt: string;
  system: string;
  suffix: string;
  images: unknown[];
  raw: boolean;
}): string {
  if (request.raw) return request.prompt;
  const messages: TemplateMessage[] = [];
  if (request.system !== '') messages.push({ role: 'system', content: request.system });
  messages.push({ role: 'user', content: request.prompt, images: request.images });
  if (request.suffix !== '') messages.push({ role: 'suffix', content: request.suffix });
  return renderChatPrompt(messages, []);
}
