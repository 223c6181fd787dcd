/** `GET|HEAD /`, `GET /api/version`, `GET /api/tags`, `GET /api/ps`, `POST /api/show`. */
import { httpError } from './errors.js';
import { goJson } from './go-json.js';
import { psEntry, showBody, tagsEntry } from './model-info.js';
import { decodeRequest } from './request-decode.js';
import type { RequestContext } from './sim-state.js';

export function handleRoot(context: RequestContext): Promise<void> {
  return context.writer.text(200, 'Ollama is running');
}

export function handleVersion(context: RequestContext): Promise<void> {
  return context.writer.json(200, goJson({ version: context.sim.version }));
}

export function handleTags(context: RequestContext): Promise<void> {
  const { sim } = context;
  const models = sim.catalog.models.map((model) => tagsEntry(model, sim.startedAtNs));
  return context.writer.json(200, goJson({ models }));
}

export function handlePs(context: RequestContext): Promise<void> {
  const models = [...context.sim.runners.values()]
    .filter((runner) => runner.loaded)
    .map((runner) => psEntry(runner.model, runner.expiresAtNs, runner.contextLength));
  return context.writer.json(200, goJson({ models }));
}

export function handleShow(context: RequestContext): Promise<void> {
  const body = decodeRequest(context.body, 'ShowRequest');
  const name = typeof body.model === 'string' && body.model !== '' ? body.model : body.name;
  if (typeof name !== 'string' || name === '') throw httpError(400, 'model is required');
  const model = context.sim.catalog.find(name);
  if (model === undefined) throw httpError(404, `model '${name}' not found`);
  return context.writer.json(200, goJson(showBody(model, context.sim.startedAtNs, body.verbose === true)));
}
