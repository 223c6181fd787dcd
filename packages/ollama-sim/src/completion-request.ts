/**
 * What `/api/chat` and `/api/generate` share before generating: model and capability checks
 * with Ollama's errors, keep_alive, options, the load/unload requests, and the script call.
 */

import { chatDebugBody, generateDebugBody } from './chunks.js';
import { httpError } from './errors.js';
import { runGeneration as generation } from './generation.js';
import { parseKeepAlive } from './keep-alive.js';
import { type ResolvedModel, registryName } from './model-catalog.js';
import { freshRandom, hashString, seededRandom } from './random.js';
import { isDeterministic, readRequestOptions } from './request-options.js';
import { withLoadedModel } from './schedule.js';
import { type AnswerContext, runnerFor } from './sim-state.js';
import type { ScriptInput } from './types.js';

export interface CompletionRequest {
  route: 'chat' | 'generate';
  modelName: string;
  model: ResolvedModel;
  /** The model thinks: a thinking model, and `think` is not false. */
  think: boolean;
  /**
   * `think` as the template sees it: what was sent, or true for a thinking model when nothing
   * was (Ollama v0.12.4+); `undefined` when not set (the template's `IsThinkSet` is false).
   */
  thinkValue: boolean | undefined;
  stream: boolean;
  /** `_debug_render_only`: answer the rendered prompt instead of generating. */
  renderOnly: boolean;
  keepAliveMs: number;
  /** keep_alive was sent and is 0. */
  unloadAsked: boolean;
}

/** Finds the model and checks what the request needs of it, with Ollama's errors. */
export function checkCompletionModel(
  context: AnswerContext,
  body: Record<string, unknown>,
  route: 'chat' | 'generate',
  tools: unknown[],
): CompletionRequest {
  const modelName = typeof body.model === 'string' ? body.model : '';
  if (modelName === '' && route === 'chat') throw httpError(400, 'model is required');
  const model = context.sim.catalog.find(modelName);
  if (model === undefined) throw httpError(404, `model '${modelName}' not found`);
  if (!model.capabilities.includes('completion')) {
    throw httpError(400, `${JSON.stringify(modelName)} does not support generate`);
  }
  const thinking = model.capabilities.includes('thinking');
  const asked = body.think === undefined || body.think === null ? undefined : body.think !== false;
  if (asked === true && !thinking) {
    throw httpError(400, `${JSON.stringify(modelName)} does not support thinking`);
  }
  const thinkValue = thinking && asked === undefined ? true : asked;
  if (tools.length > 0 && !model.capabilities.includes('tools')) {
    throw httpError(400, `${registryName(model.name)} does not support tools`);
  }
  const keepAliveGiven = body.keep_alive !== undefined && body.keep_alive !== null;
  const keepAliveMs = keepAliveGiven ? parseKeepAlive(body.keep_alive) : context.sim.defaultKeepAliveMs;
  return {
    route,
    modelName,
    model,
    think: thinking && thinkValue === true,
    thinkValue,
    stream: body.stream !== false,
    renderOnly: body._debug_render_only === true,
    keepAliveMs,
    unloadAsked: keepAliveGiven && keepAliveMs === 0,
  };
}

/** An empty prompt: unload (with keep_alive 0) or load the model, answering `done_reason`. */
export async function loadOrUnload(
  context: AnswerContext,
  request: CompletionRequest,
  body: Record<string, unknown>,
  final: (doneReason: string) => string,
): Promise<void> {
  const runner = runnerFor(context.sim, request.model);
  if (request.unloadAsked) {
    runner.requestUnload();
    await context.writer.json(200, final('unload'));
    return;
  }
  const options = readRequestOptions(body.options);
  context.markGeneration();
  await withLoadedModel(
    context,
    runner,
    { keepAliveMs: request.keepAliveMs, loadKey: options.loadKey, contextLength: options.numCtx },
    () => context.writer.json(200, final('load')),
  );
}

export interface RenderedPrompt {
  /** The prompt as the model's template renders it. */
  text: string;
  /** Token ids before it (generate's `context`). */
  prefixTokens?: readonly number[];
  /** generate without `raw`: the final chunk carries `context`. */
  withContext: boolean;
  /** Images in the request. */
  images: number;
}

/**
 * With `_debug_render_only`, Ollama schedules the model (loading it if needed) and answers the
 * rendered prompt instead of generating.
 */
async function answerRendered(
  context: AnswerContext,
  request: CompletionRequest,
  prompt: RenderedPrompt,
  load: { keepAliveMs: number; loadKey: string; contextLength: number },
): Promise<void> {
  const { tokenizer } = request.model.template;
  const text = `${tokenizer.decode(prompt.prefixTokens ?? [])}${prompt.text}`;
  const body = request.route === 'chat' ? chatDebugBody : generateDebugBody;
  context.markGeneration();
  await withLoadedModel(context, runnerFor(context.sim, request.model), load, () =>
    context.writer.json(200, body(request.modelName, text, prompt.images)),
  );
}

/** Runs the script on the rendered prompt and generates the reply. */
export async function complete(
  context: AnswerContext,
  request: CompletionRequest,
  body: Record<string, unknown>,
  prompt: RenderedPrompt,
  scriptInput: Omit<ScriptInput, 'deterministic' | 'random' | 'options' | 'route' | 'model'>,
): Promise<void> {
  const options = readRequestOptions(body.options);
  const load = { keepAliveMs: request.keepAliveMs, loadKey: options.loadKey, contextLength: options.numCtx };
  if (request.renderOnly) {
    await answerRendered(context, request, prompt, load);
    return;
  }
  const deterministic = isDeterministic(options);
  const random = deterministic
    ? seededRandom(hashString(`${options.seed}|${options.temperature}|${request.modelName}|${prompt.text}`))
    : freshRandom();
  const reply = context.sim.script({
    ...scriptInput,
    route: request.route,
    model: request.modelName,
    options: options.raw,
    deterministic,
    random,
    think: request.think,
    answerTokens: request.model.answerTokens,
  });
  const { tokenizer } = request.model.template;
  const prefix = prompt.prefixTokens ?? [];
  let promptTokens =
    prefix.length > 0 ? [...prefix, ...tokenizer.encode(prompt.text)] : tokenizer.encodePrompt(prompt.text);
  if (promptTokens.length > options.numCtx)
    promptTokens = promptTokens.slice(promptTokens.length - options.numCtx);
  const runner = runnerFor(context.sim, request.model);
  context.markGeneration();
  await withLoadedModel(context, runner, load, (loadedNs) =>
    generation(
      context,
      {
        route: request.route,
        modelName: request.modelName,
        runner,
        promptTokens,
        reply,
        think: request.think,
        stream: request.stream,
        options,
        random,
        withContext: prompt.withContext,
      },
      loadedNs,
    ),
  );
}
