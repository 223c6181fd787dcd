/** `POST /api/embed` and the legacy `POST /api/embeddings`. */
import { monotonicNs } from './clock.js';
import { embed, normalise } from './embedding.js';
import { httpError } from './errors.js';
import { goFloat32Array, goFloat64Array, goString } from './go-json.js';
import { parseKeepAlive } from './keep-alive.js';
import type { ResolvedModel } from './model-catalog.js';
import { decodeRequest } from './request-decode.js';
import { readRequestOptions } from './request-options.js';
import { withLoadedModel } from './schedule.js';
import { type AnswerContext, runnerFor } from './sim-state.js';
import { SimTokenizer } from './tokenizer.js';

/** Embedding inputs are counted with the same stand-in tokenizer as prompts. */
const inputTokenizer = new SimTokenizer({});

function readInput(input: unknown): string[] {
  if (input === undefined || input === null) return [];
  if (typeof input === 'string') return input === '' ? [] : [input];
  if (Array.isArray(input) && input.every((item) => typeof item === 'string')) return input as string[];
  throw httpError(400, 'invalid input type');
}

/** The scheduler's lookup, with its older wording for a missing model. */
function findModel(context: AnswerContext, name: string): ResolvedModel {
  if (name === '') throw httpError(400, 'model is required');
  const model = context.sim.catalog.find(name);
  if (model === undefined)
    throw httpError(404, `model ${JSON.stringify(name)} not found, try pulling it first`);
  return model;
}

async function embedAll(
  context: AnswerContext,
  body: Record<string, unknown>,
  inputs: string[],
  answer: (vectors: number[][], loadedNs: bigint, tokens: number) => Promise<void>,
  emptyAnswer: () => Promise<void>,
): Promise<void> {
  const model = findModel(context, typeof body.model === 'string' ? body.model : '');
  const keepAliveMs =
    body.keep_alive === undefined || body.keep_alive === null
      ? context.sim.defaultKeepAliveMs
      : parseKeepAlive(body.keep_alive);
  const options = readRequestOptions(body.options);
  const runner = runnerFor(context.sim, model);
  context.markGeneration();
  await withLoadedModel(
    context,
    runner,
    { keepAliveMs, loadKey: options.loadKey, contextLength: options.numCtx },
    async (loadedNs) => {
      if (inputs.length === 0) return emptyAnswer();
      const slot = await runner.acquireSlot({ tokens: [], kind: 'embedding' }, context.signal);
      try {
        const tokens = inputs.reduce(
          (sum, input) => sum + Math.min(inputTokenizer.encode(input).length, options.numCtx),
          0,
        );
        context.sim.stats.promptTokensEvaluated += tokens;
        await context.sim.timers.sleep(model.latency.embedMsPerInput * inputs.length, context.signal);
        const dimensions = model.embeddingDimensions;
        const asked =
          typeof body.dimensions === 'number' && body.dimensions > 0 ? body.dimensions : dimensions;
        const vectors = inputs.map((input) => {
          const vector = embed(input, dimensions);
          return asked < dimensions ? normalise(vector.slice(0, asked)) : vector;
        });
        await answer(vectors, loadedNs, tokens);
      } finally {
        runner.releaseSlot(slot, slot.cache);
      }
    },
  );
}

export async function handleEmbed(context: AnswerContext): Promise<void> {
  const body = decodeRequest(context.body, 'EmbedRequest');
  const inputs = readInput(body.input);
  const modelJson = goString(typeof body.model === 'string' ? body.model : '');
  await embedAll(
    context,
    body,
    inputs,
    (vectors, loadedNs, tokens) => {
      const totalNs = monotonicNs() - context.startNs;
      const embeddings = `[${vectors.map(goFloat32Array).join(',')}]`;
      const metrics = `"total_duration":${totalNs},"load_duration":${loadedNs - context.startNs},"prompt_eval_count":${tokens}`;
      return context.writer.json(200, `{"model":${modelJson},"embeddings":${embeddings},${metrics}}`);
    },
    () => context.writer.json(200, `{"model":${modelJson},"embeddings":[]}`),
  );
}

export async function handleEmbeddings(context: AnswerContext): Promise<void> {
  const body = decodeRequest(context.body, 'EmbeddingRequest');
  const prompt = typeof body.prompt === 'string' ? body.prompt : '';
  await embedAll(
    context,
    body,
    prompt === '' ? [] : [prompt],
    (vectors) =>
      context.writer.json(200, `{"embedding":${goFloat64Array((vectors[0] ?? []).map(Math.fround))}}`),
    () => context.writer.json(200, '{"embedding":[]}'),
  );
}
