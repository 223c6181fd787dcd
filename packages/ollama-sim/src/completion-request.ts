/**
 * What `/api/chat` and `/api/generate` share before generating: model and capability checks
 * with Ollama's errors, keep_alive, options, the load/unload requests, and the script call.
 */
import { HttpError } from './errors.js';
import { runGeneration as generation } from './generation.js';
import { parseKeepAlive } from './keep-alive.js';
import { type ResolvedModel, registryName } from './model-catalog.js';
import { freshRandom, hashString, seededRandom } from './random.js';
import { isDeterministic, readRequestOptions } from './request-options.js';
import { withLoadedModel } from './schedule.js';
import { type RequestContext, runnerFor } from './sim-state.js';
import { tokenize } from './tokenize.js';
import type { ScriptInput } from './types.js';

export interface CompletionRequest {
  route: 'chat' | 'generate';
  modelName: string;
  model: ResolvedModel;
  think: boolean;
  stream: boolean;
  keepAliveMs: number;
  /** keep_alive was sent and is 0. */
  unloadAsked: boolean;
}

/** Finds the model and checks what the request needs of it, with Ollama's errors. */
export function checkCompletionModel(
  context: RequestContext,
  body: Record<string, unknown>,
  route: 'chat' | 'generate',
  tools: unknown[],
): CompletionRequest {
  const modelName = typeof body.model === 'string' ? body.model : '';
  if (modelName === '' && route === 'chat') throw new HttpError(400, 'model is required');
  const model = context.sim.catalog.find(modelName);
  if (model === undefined) throw new HttpError(404, `model '${modelName}' not found`);
  if (!model.capabilities.includes('completion')) {
    throw new HttpError(400, `${JSON.stringify(modelName)} does not support generate`);
  }
  const think = body.think === true || typeof body.think === 'string';
  if (think && !model.capabilities.includes('thinking')) {
    throw new HttpError(400, `${JSON.stringify(modelName)} does not support thinking`);
  }
  if (tools.length > 0 && !model.capabilities.includes('tools')) {
    throw new HttpError(400, `${registryName(model.name)} does not support tools`);
  }
  const keepAliveGiven = body.keep_alive !== undefined && body.keep_alive !== null;
  const keepAliveMs = keepAliveGiven ? parseKeepAlive(body.keep_alive) : context.sim.defaultKeepAliveMs;
  return {
    route,
    modelName,
    model,
    think,
    stream: body.stream !== false,
    keepAliveMs,
    unloadAsked: keepAliveGiven && keepAliveMs === 0,
  };
}

/** An empty prompt: unload (with keep_alive 0) or load the model, answering `done_reason`. */
export async function loadOrUnload(
  context: RequestContext,
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

/** Runs the script on the rendered prompt and generates the reply. */
export async function complete(
  context: RequestContext,
  request: CompletionRequest,
  body: Record<string, unknown>,
  prompt: { text: string; prefixTokens?: string[]; withContext: boolean },
  scriptInput: Omit<ScriptInput, 'deterministic' | 'random' | 'options' | 'route' | 'model'>,
): Promise<void> {
  const options = readRequestOptions(body.options);
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
  let promptTokens = [...(prompt.prefixTokens ?? []), ...tokenize(prompt.text)];
  if (promptTokens.length > options.numCtx)
    promptTokens = promptTokens.slice(promptTokens.length - options.numCtx);
  const runner = runnerFor(context.sim, request.model);
  context.markGeneration();
  await withLoadedModel(
    context,
    runner,
    { keepAliveMs: request.keepAliveMs, loadKey: options.loadKey, contextLength: options.numCtx },
    (loadedNs) =>
      generation(
        context,
        {
          route: request.route,
          modelName: request.modelName,
          runner,
          promptTokens,
          reply,
          stream: request.stream,
          options,
          random,
          withContext: prompt.withContext,
        },
        loadedNs,
      ),
  );
}
