/**
 * `POST /api/pull`, `/api/push`, `/api/create`, `/api/copy` and `DELETE /api/delete`, with
 * Ollama's statuses, progress lines and error texts (server/routes.go, server/images.go).
 */
import { httpError } from '../errors.js';
import { parseFirstJsonValue } from '../json-syntax.js';
import { canonicalName } from '../model-catalog.js';
import type { RequestContext } from '../sim-state.js';
import { layersOf, modelStore } from './model-store.js';
import { ProgressWriter, transfer } from './progress.js';

/** A valid model name: `[host/][namespace/]model[:tag]`, as Ollama's `model.ParseName` accepts. */
const MODEL_NAME = /^(?:[\w.-]+\/){0,2}[\w][\w.-]*(?::[\w][\w.-]*)?$/;

function readBody(context: RequestContext): Record<string, unknown> {
  if (context.body.trim() === '') throw httpError(400, 'missing request body');
  let value: unknown;
  try {
    value = parseFirstJsonValue(context.body);
  } catch (error) {
    throw httpError(400, (error as Error).message, { cause: error });
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** `model`, or the deprecated `name`. */
function modelName(body: Record<string, unknown>): string {
  const name = typeof body.model === 'string' && body.model !== '' ? body.model : body.name;
  if (typeof name !== 'string' || name === '') throw httpError(400, 'model is required');
  if (!MODEL_NAME.test(name)) throw httpError(400, 'invalid model name');
  return name;
}

export async function handlePull(context: RequestContext): Promise<void> {
  const body = readBody(context);
  const name = modelName(body);
  const progress = new ProgressWriter(context, body.stream !== false);
  const store = modelStore(context.sim);
  const model = context.sim.catalog.find(name);
  await progress.send({ status: 'pulling manifest' });
  if (model === undefined) {
    await progress.fail('pull model manifest: file does not exist');
    return;
  }
  const present = store.find(name) !== undefined;
  await transfer(context, progress, layersOf(model), 'pulling', model, () => present);
  await progress.send({ status: 'verifying sha256 digest' });
  await progress.send({ status: 'writing manifest' });
  store.add(name, model);
  await progress.send({ status: 'success' });
  await progress.end();
}

export async function handlePush(context: RequestContext): Promise<void> {
  const body = readBody(context);
  const name = modelName(body);
  const progress = new ProgressWriter(context, body.stream !== false);
  const model = modelStore(context.sim).find(name);
  await progress.send({ status: 'retrieving manifest' });
  if (model === undefined) {
    await progress.fail(`open ${canonicalName(name)}: file does not exist`);
    return;
  }
  await transfer(context, progress, layersOf(model), 'pushing', model);
  await progress.send({ status: 'pushing manifest' });
  await progress.send({ status: 'success' });
  await progress.end();
}

export async function handleCreate(context: RequestContext): Promise<void> {
  const body = readBody(context);
  const name = modelName(body);
  const store = modelStore(context.sim);
  const files = typeof body.files === 'object' && body.files !== null ? Object.values(body.files) : [];
  if (typeof body.from !== 'string' && files.length === 0) {
    throw httpError(400, "neither 'from' or 'files' was specified");
  }
  const base = typeof body.from === 'string' ? store.find(body.from) : undefined;
  if (typeof body.from === 'string' && base === undefined) {
    throw httpError(404, `model '${body.from}' not found`);
  }
  const missing = files.find(
    (digest) => typeof digest !== 'string' || !store.hasBlob(digest.replace('-', ':')),
  );
  if (missing !== undefined) throw httpError(400, `missing blob ${String(missing)}`);
  const progress = new ProgressWriter(context, body.stream !== false);
  const model = base ?? context.sim.catalog.models[0];
  for (const layer of base === undefined ? [] : layersOf(base)) {
    await progress.send({ status: `using existing layer ${layer.digest}` });
  }
  for (const digest of files as string[]) await progress.send({ status: `using existing layer ${digest}` });
  await progress.send({ status: 'writing manifest' });
  if (model !== undefined) store.add(name, model);
  await progress.send({ status: 'success' });
  await progress.end();
}

export async function handleCopy(context: RequestContext): Promise<void> {
  const body = readBody(context);
  const source = typeof body.source === 'string' ? body.source : '';
  const destination = typeof body.destination === 'string' ? body.destination : '';
  if (!MODEL_NAME.test(source)) throw httpError(400, `source ${JSON.stringify(source)} is invalid`);
  if (!MODEL_NAME.test(destination)) {
    throw httpError(400, `destination ${JSON.stringify(destination)} is invalid`);
  }
  const store = modelStore(context.sim);
  const model = store.find(source);
  if (model === undefined) throw httpError(404, `model ${JSON.stringify(source)} not found`);
  store.add(destination, model);
  emptyOk(context);
}

/** 200 with no body, as gin's `c.Status(http.StatusOK)`. */
function emptyOk(context: RequestContext): void {
  context.writer.res.writeHead(200, { 'Content-Length': 0 }).end();
}

export async function handleDelete(context: RequestContext): Promise<void> {
  const name = modelName(readBody(context));
  if (!modelStore(context.sim).delete(name)) throw httpError(404, `model '${name}' not found`);
  emptyOk(context);
}
