/**
 * `POST /v1/completions`, answered by the native generate handler and translated as Ollama's
 * `CompleteWriter` does: `text_completion` chunks (each stamped now), with `include_usage` a zero
 * usage on every chunk and then a usage chunk, `data: [DONE]`; or one `text_completion` object.
 */
import { httpError } from '../errors.js';
import { goJson } from '../go-json.js';
import { handleGenerate } from '../route-generate.js';
import type { RequestContext } from '../sim-state.js';
import { runNative, sendEvent, sendEvents } from './native-capture.js';
import { OPENAI_JSON } from './openai-error.js';
import {
  includesUsage,
  readOpenAIBody,
  responseId,
  samplingOptions,
  unixSeconds,
  usageOf,
} from './request-body.js';

type Json = Record<string, unknown>;

const ZERO_USAGE = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };

function reasonOf(native: Json): string | null {
  return typeof native.done_reason === 'string' && native.done_reason !== '' ? native.done_reason : null;
}

export async function handleCompletions(context: RequestContext): Promise<void> {
  const body = readOpenAIBody(context.body, 'CompletionRequest');
  if (body.prompt !== undefined && body.prompt !== null && typeof body.prompt !== 'string') {
    const kind = Array.isArray(body.prompt) ? 'array' : typeof body.prompt;
    throw httpError(
      400,
      `json: cannot unmarshal ${kind} into Go struct field CompletionRequest.prompt of type string`,
    );
  }
  const request = {
    model: body.model ?? '',
    prompt: body.prompt ?? '',
    options: samplingOptions(body, true),
    stream: body.stream === true,
    ...(typeof body.suffix === 'string' && body.suffix !== '' ? { suffix: body.suffix } : {}),
  };
  const id = responseId('cmpl');
  const includeUsage = includesUsage(body);
  const chunk = (native: Json, choices: Json[], usage: Json | undefined): string =>
    goJson({
      id,
      object: 'text_completion',
      created: Math.floor(Date.now() / 1000),
      choices,
      model: native.model,
      system_fingerprint: 'fp_ollama',
      ...(usage === undefined ? {} : { usage }),
    });

  await runNative(context, request, handleGenerate, {
    async line(json) {
      const native = JSON.parse(json) as Json;
      const choices = [{ text: native.response ?? '', index: 0, finish_reason: reasonOf(native) }];
      const events = [chunk(native, choices, includeUsage ? ZERO_USAGE : undefined)];
      if (native.done === true) {
        if (includeUsage) events.push(chunk(native, [], usageOf(native)));
        events.push('[DONE]');
      }
      return sendEvents(context, events);
    },
    async body(status, json) {
      const native = JSON.parse(json) as Json;
      const answer = {
        id,
        object: 'text_completion',
        created: unixSeconds(native.created_at),
        model: native.model,
        system_fingerprint: 'fp_ollama',
        choices: [{ text: native.response ?? '', index: 0, finish_reason: reasonOf(native) }],
        usage: usageOf(native),
      };
      await context.writer.text(status, `${goJson(answer)}\n`, OPENAI_JSON);
    },
    end() {
      context.writer.end();
    },
    async failed() {
      await sendEvent(
        context,
        chunk({ model: request.model }, [{ text: '', index: 0, finish_reason: null }], undefined),
      );
      context.writer.end();
    },
  });
}
