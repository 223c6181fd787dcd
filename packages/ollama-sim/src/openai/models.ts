/**
 * `GET /v1/models` and `GET /v1/models/:model`, as Ollama's `ListWriter` and `RetrieveWriter`:
 * `{"object":"list","data":[{"id","object":"model","created","owned_by"}]}` (`data: null` when there
 * is no model); `owned_by` is the name's namespace (`library` for plain names).
 */
import { httpError } from '../errors.js';
import { goJson } from '../go-json.js';
import { modelStore } from '../management/model-store.js';
import type { RequestContext } from '../sim-state.js';
import { OPENAI_JSON } from './openai-error.js';

/** The namespace Ollama's `model.ParseName` reads from a name: `user` in `host/user/model:tag`. */
function namespaceOf(name: string): string {
  const parts = name.split(':', 1)[0]!.split('/');
  return parts.length >= 2 ? parts[parts.length - 2]! : 'library';
}

function entry(id: string, created: number) {
  return { id, object: 'model', created, owned_by: namespaceOf(id) };
}

function createdOf(context: RequestContext): number {
  return Number(context.sim.startedAtNs / 1_000_000_000n);
}

export function handleListModels(context: RequestContext): Promise<void> {
  const models = modelStore(context.sim).list();
  const data = models.length === 0 ? null : models.map(({ name }) => entry(name, createdOf(context)));
  return context.writer.text(200, `${goJson({ object: 'list', data })}\n`, OPENAI_JSON);
}

export const MODEL_PATH = /^\/v1\/models\/([^/]+)$/;

export function handleRetrieveModel(context: RequestContext, path: string): Promise<void> {
  const name = decodeURIComponent(MODEL_PATH.exec(path)![1]!);
  if (modelStore(context.sim).find(name) === undefined) throw httpError(404, `model '${name}' not found`);
  return context.writer.text(200, `${goJson(entry(name, createdOf(context)))}\n`, OPENAI_JSON);
}
