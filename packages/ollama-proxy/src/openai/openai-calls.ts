import { isDeterministic, type LLMCacheStatus, type StreamSource } from '@lunar/llm-cache';
import { goJson, type RawResponse } from '@lunar/ollama-stream';
import { type CachedCall, record, sendWhole } from '../context.js';
import { errorAnswer } from '../error-answer.js';
import { isOllamaProxyError, OllamaProxyError } from '../errors.js';
import type { ResponseStream } from '../response-stream.js';
import { DONE_PIECE, eventOf, FreshIds, type OpenAIPiece, pieceOf } from './openai-pieces.js';
import { keyedRequest } from './openai-request.js';
import { sseEvents } from './sse-events.js';

/** The content type of Ollama's OpenAI-compatible JSON answers and errors. */
const OPENAI_JSON = 'application/json';

/** An error in OpenAI's shape, its type following the status as Ollama's `openai.NewError` does. */
export function openAIError(status: number, message: string): string {
  const type = status === 400 ? 'invalid_request_error' : status === 404 ? 'not_found_error' : 'api_error';
  return goJson({ error: { message, type, param: null, code: null } });
}

/** Sends a failure before any byte: the host's own error answer as it came, or Lunar's in OpenAI's shape. */
function sendError(call: CachedCall, error: unknown, cache: LLMCacheStatus): void {
  if (call.out.gone) return;
  const answer = isOllamaProxyError(error) ? error.answer : undefined;
  if (answer !== undefined) {
    call.out.start(answer.status, {
      ...(answer.contentType === undefined ? {} : { 'content-type': answer.contentType }),
      'content-length': Buffer.byteLength(answer.body),
      'x-lunar-cache': cache,
    });
    call.out.end(answer.body);
    return;
  }
  const { status, error: message } = errorAnswer(error);
  if (status >= 500)
    call.context.logger?.warn({ err: error, status, route: call.route }, 'proxied call failed');
  const body = `${openAIError(status, message)}\n`;
  call.out.start(status, {
    'content-type': OPENAI_JSON,
    'content-length': Buffer.byteLength(body),
    'x-lunar-cache': cache,
  });
  call.out.end(body);
}

/** The host's answer when it is not a success: thrown, so the cache keeps nothing and every caller gets it. */
async function refusal(response: RawResponse, route: string): Promise<OllamaProxyError> {
  const type = response.headers['content-type'];
  return new OllamaProxyError('OLLAMA_PROXY_HOST_FAILED', `the host answered ${response.status}`, {
    route,
    status: response.status,
    answer: {
      status: response.status,
      contentType: typeof type === 'string' ? type : undefined,
      body: await response.body.text(),
    },
  });
}

function parsed(text: string, route: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // Reported below.
  }
  throw new OllamaProxyError(
    'OLLAMA_PROXY_BAD_ANSWER',
    `the host's answer to ${route} is not a JSON object`,
    {
      route,
    },
  );
}

/**
 * An OpenAI-compatible call through the cache, forwarded to the host's own `/v1` route (Ollama's
 * translation stays Ollama's): the body as the client sent it, the answer stored as the host sent
 * it (its SSE events, or its whole JSON body) and replayed as the same events or body, with fresh
 * ids and `created` on a hit.
 */
export async function openAICall(call: CachedCall, body: Uint8Array, headers: Record<string, string>) {
  const { context, out, operation, path, route } = call;
  const send = (signal: AbortSignal) =>
    context.client.request({ method: 'POST', path, body, headers }, { signal });
  const request = keyedRequest(path, operation, call.request);
  const controller = context.calls.enter(out.signal);
  const options = { mode: call.mode, signal: controller.signal, route: operation };
  let cache: LLMCacheStatus =
    call.mode === 'bypass' || !isDeterministic(request, operation) ? 'bypass' : 'miss';
  try {
    if (call.request.stream === true) {
      const start = async function* (signal: AbortSignal): AsyncGenerator<OpenAIPiece> {
        const response = await send(signal);
        if (response.status !== 200) throw await refusal(response, route);
        for await (const data of sseEvents(response.body)) {
          yield data === '[DONE]' ? DONE_PIECE : pieceOf(parsed(data, route), false);
        }
      };
      const stream = await context.llmCache.stream(
        request,
        start as (signal: AbortSignal) => StreamSource<OpenAIPiece>,
        options,
      );
      cache = stream.status;
      await streamAnswer(call, out, stream, cache);
    } else {
      const compute = async (signal: AbortSignal): Promise<OpenAIPiece> => {
        const response = await send(signal);
        if (response.status !== 200) throw await refusal(response, route);
        return pieceOf(parsed(await response.body.text(), route), true);
      };
      const { value, status } = await context.llmCache.getOrCompute(request, compute, options);
      cache = status;
      const piece = status === 'hit' ? new FreshIds().apply(value) : value;
      sendWhole(call, `${goJson(piece.data)}\n`, OPENAI_JSON, status);
    }
  } catch (error) {
    sendError(call, error, cache);
  } finally {
    context.calls.leave(controller);
  }
}

/**
 * Writes a streamed answer as SSE, each event as it comes (headers with the first, as Ollama's).
 * A failure before the first event is answered with its status; after it, with an error event
 * (`data: {"error": ...}`, which OpenAI's clients raise) and the end, without `[DONE]`.
 */
async function streamAnswer(
  call: CachedCall,
  out: ResponseStream,
  stream: AsyncIterator<OpenAIPiece> & { return?(): Promise<unknown> },
  cache: LLMCacheStatus,
): Promise<void> {
  const { context } = call;
  const fresh = cache === 'hit' ? new FreshIds() : undefined;
  let result = await stream.next();
  out.start(200, { 'content-type': 'text/event-stream', 'x-lunar-cache': cache });
  context.observer.firstChunk?.(record(call, cache));
  while (!result.done) {
    const piece = fresh === undefined ? result.value : fresh.apply(result.value);
    if (!(await out.write(eventOf(piece, goJson)))) {
      await stream.return?.();
      return;
    }
    try {
      result = await stream.next();
    } catch (error) {
      const answer = errorAnswer(error);
      if (answer.status >= 500)
        context.logger?.warn({ err: error, route: call.route }, 'proxied stream failed');
      await out.write(`data: ${openAIError(answer.status, answer.error)}\n\n`);
      out.end();
      return;
    }
  }
  out.end();
  context.observer.done?.(record(call, cache));
}
