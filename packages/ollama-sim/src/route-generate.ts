/** `POST /api/generate`. */
import { generateFinal } from './chunks.js';
import { checkCompletionModel, complete, loadOrUnload } from './completion-request.js';
import { renderGeneratePrompt } from './prompt-template.js';
import { decodeRequest } from './request-decode.js';
import type { RequestContext } from './sim-state.js';

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

export async function handleGenerate(context: RequestContext): Promise<void> {
  const body = decodeRequest(context.body, 'GenerateRequest');
  const request = checkCompletionModel(context, body, 'generate', []);
  const prompt = text(body.prompt);
  const system = text(body.system);
  if (prompt === '' && text(body.template) === '' && system === '') {
    await loadOrUnload(context, request, body, (reason) => generateFinal(request.modelName, {}, reason));
    return;
  }
  const images = Array.isArray(body.images) ? body.images : [];
  const raw = body.raw === true;
  const rendered = renderGeneratePrompt({ prompt, system, suffix: text(body.suffix), images, raw });
  const previous = Array.isArray(body.context) ? body.context.map((id) => `<|ctx:${id}|>`) : [];
  const messages = [
    ...(system === '' ? [] : [{ role: 'system', content: system }]),
    { role: 'user', content: prompt, ...(images.length > 0 ? { images: images as string[] } : {}) },
  ];
  const format = body.format ?? undefined;
  await complete(
    context,
    request,
    body,
    { text: rendered, prefixTokens: previous, withContext: !raw },
    { messages, tools: [], ...(format === undefined ? {} : { format }) },
  );
}
