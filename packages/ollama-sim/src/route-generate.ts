/** `POST /api/generate`. */
import { generateFinal } from './chunks.js';
import { checkCompletionModel, complete, loadOrUnload } from './completion-request.js';
import { decodeRequest } from './request-decode.js';
import type { AnswerContext } from './sim-state.js';
import type { ScriptInput } from './types.js';

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * Generate renders like a chat of the system prompt and one user message (Ollama's chat-like
 * flow); `raw` sends the prompt as is; `context` from an earlier answer goes before it as
 * tokens. A `suffix` is appended to the prompt on a line of its own (the simulator has no
 * fill-in-the-middle template), and a request `template` is not executed: the model's is used.
 */
export async function handleGenerate(context: AnswerContext): Promise<void> {
  const body = decodeRequest(context.body, 'GenerateRequest');
  const request = checkCompletionModel(context, body, 'generate', []);
  const prompt = text(body.prompt);
  const system = text(body.system);
  const suffix = text(body.suffix);
  if (prompt === '' && text(body.template) === '' && system === '') {
    await loadOrUnload(context, request, body, (reason) => generateFinal(request.modelName, {}, reason));
    return;
  }
  const images = (Array.isArray(body.images) ? body.images : []) as string[];
  const raw = body.raw === true;
  const messages: ScriptInput['messages'] = [
    ...(system === '' ? [] : [{ role: 'system', content: system }]),
    {
      role: 'user',
      content: suffix === '' ? prompt : `${prompt}\n${suffix}`,
      ...(images.length > 0 ? { images } : {}),
    },
  ];
  const rendered = raw
    ? prompt
    : request.model.template.render({ messages, tools: [], think: request.thinkValue });
  const previous = Array.isArray(body.context) ? body.context.filter(Number.isInteger) : [];
  const format = body.format ?? undefined;
  await complete(
    context,
    request,
    body,
    { text: rendered, prefixTokens: previous, withContext: !raw, images: images.length },
    { messages, tools: [], ...(format === undefined ? {} : { format }) },
  );
}
