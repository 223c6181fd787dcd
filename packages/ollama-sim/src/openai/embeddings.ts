/**
 * `POST /v1/embeddings`, answered by the native embed handler and translated as Ollama's
 * `EmbedWriter` does: `{"object":"list","data":[{"object":"embedding","embedding":[...],"index":0}],
 * "model","usage"}`, the vectors as float32 numbers or, with `encoding_format: "base64"`, their
 * little-endian bytes in base64.
 */
import { httpError } from '../errors.js';
import { goFloat32Array, goString } from '../go-json.js';
import { handleEmbed } from '../route-embed.js';
import type { RequestContext } from '../sim-state.js';
import { runNative } from './native-capture.js';
import { OPENAI_JSON } from './openai-error.js';
import { readOpenAIBody } from './request-body.js';

function base64Of(values: readonly number[]): string {
  return Buffer.from(new Float32Array(values).buffer).toString('base64');
}

export async function handleOpenAIEmbeddings(context: RequestContext): Promise<void> {
  const body = readOpenAIBody(context.body, 'EmbedRequest');
  const format = typeof body.encoding_format === 'string' ? body.encoding_format : '';
  if (format !== '' && !['float', 'base64'].includes(format.toLowerCase())) {
    throw httpError(
      400,
      `Invalid value for 'encoding_format' = ${format}. Supported values: ['float', 'base64'].`,
    );
  }
  let input = body.input;
  if (input === '') input = [''];
  if (input === undefined || input === null || (Array.isArray(input) && input.length === 0)) {
    throw httpError(400, 'invalid input');
  }
  const model = typeof body.model === 'string' ? body.model : '';
  const request = {
    model,
    input,
    ...(typeof body.dimensions === 'number' ? { dimensions: body.dimensions } : {}),
  };
  await runNative(context, request, handleEmbed, {
    line: () => Promise.resolve(true),
    async body(status, json) {
      const native = JSON.parse(json) as { embeddings?: number[][]; prompt_eval_count?: number };
      const tokens = native.prompt_eval_count ?? 0;
      const data = (native.embeddings ?? []).map(
        (vector, index) =>
          `{"object":"embedding","embedding":${format.toLowerCase() === 'base64' ? goString(base64Of(vector)) : goFloat32Array(vector)},"index":${index}}`,
      );
      const answer = `{"object":"list","data":[${data.join(',')}],"model":${goString(model)},"usage":{"prompt_tokens":${tokens},"total_tokens":${tokens}}}\n`;
      await context.writer.text(status, answer, OPENAI_JSON);
    },
    end() {},
    failed: () => Promise.resolve(),
  });
}
