import { isDeterministic, type LLMCacheStatus, type LLMChunk, type StreamSource } from '@lunar/llm-cache';
import { goJson, isOllamaError } from '@lunar/ollama-stream';
import { type CachedCall, record, sendWhole } from './context.js';
import { errorAnswer } from './error-answer.js';
import type { NativeRequest } from './proxy-body.js';
import { isWholeAnswer, streamedPieces } from './whole-answer-pieces.js';

const NDJSON = 'application/x-ndjson';
const JSON_TYPE = 'application/json; charset=utf-8';

/** The status a failed call reports: `bypass` when the cache would not have kept it, else `miss`. */
function failedStatus(call: CachedCall): LLMCacheStatus {
  return call.mode === 'bypass' || !isDeterministic(call.request, call.operation) ? 'bypass' : 'miss';
}

/** Answers a failure before any byte was sent: the host's status and `{"error": ...}`. */
function sendError(call: CachedCall, error: unknown, cache: LLMCacheStatus): void {
  if (call.out.gone) return;
  const answer = errorAnswer(error);
  if (answer.status >= 500) {
    call.context.logger?.warn(
      { err: error, status: answer.status, route: call.route },
      'proxied call failed',
    );
  }
  call.out.json(answer.status, { error: answer.error }, { 'x-lunar-cache': cache });
}

/**
 * A streamed chat or generate call through the cache. Headers wait for the first chunk (as
 * Ollama's do); every chunk is written as one NDJSON line as it arrives, each write waiting for the
 * socket; a failure after the first chunk becomes an `{"error": ...}` line, as in Ollama.
 */
async function streamCall(call: CachedCall, start: (signal: AbortSignal) => StreamSource<LLMChunk>) {
  const { context, out, operation } = call;
  const controller = context.calls.enter(out.signal);
  let cache = failedStatus(call);
  try {
    const stream = await context.llmCache.stream(call.request, start, {
      mode: call.mode,
      signal: controller.signal,
      route: operation,
    });
    cache = stream.status;
    if (cache === 'hit') context.keepAlive.send(operation, call.request);
    let first: IteratorResult<LLMChunk>;
    try {
      first = await stream.next();
    } catch (error) {
      const answer = errorAnswer(error);
      // Ollama sends a failure on the stream's first line with status 200.
      if (!isOllamaError(error, 'OLLAMA_STREAM_ERROR')) throw error;
      out.start(200, { 'content-type': NDJSON, 'x-lunar-cache': cache });
      out.end(`${goJson({ error: answer.error })}\n`);
      return;
    }
    out.start(200, { 'content-type': NDJSON, 'x-lunar-cache': cache });
    context.observer.firstChunk?.(record(call, cache));
    if (cache === 'hit' && !first.done && isWholeAnswer(first.value)) {
      // An answer stored whole (from `stream: false`) still streams, token by token.
      for (const piece of streamedPieces(first.value)) {
        if (!(await out.write(`${goJson(piece)}\n`))) return;
      }
      out.end();
      context.observer.done?.(record(call, cache));
      return;
    }
    let result = first;
    while (!result.done) {
      if (!(await out.write(`${goJson(result.value)}\n`))) {
        await stream.return?.();
        return;
      }
      try {
        result = await stream.next();
      } catch (error) {
        // Cut short (or the client left): an error line says so, and the answer is not done.
        await out.write(`${goJson({ error: errorAnswer(error).error })}\n`);
        out.end();
        return;
      }
    }
    out.end();
    context.observer.done?.(record(call, cache));
  } catch (error) {
    sendError(call, error, cache);
  } finally {
    context.calls.leave(controller);
  }
}

/** A whole-answer call (`stream: false`, embeddings) through the cache. */
async function wholeCall(call: CachedCall, compute: (signal: AbortSignal) => Promise<LLMChunk>) {
  const { context, out, operation } = call;
  const controller = context.calls.enter(out.signal);
  try {
    const { value, status } = await context.llmCache.getOrCompute(call.request, compute, {
      mode: call.mode,
      signal: controller.signal,
      route: operation,
    });
    if (status === 'hit') context.keepAlive.send(operation, call.request);
    sendWhole(call, goJson(value), JSON_TYPE, status);
  } catch (error) {
    sendError(call, error, failedStatus(call));
  } finally {
    context.calls.leave(controller);
  }
}

/**
 * Answers a native LLM call (`/api/chat`, `/api/generate`, `/api/embed`, `/api/embeddings`) through
 * the cache; `native` is `call.request` typed by its operation.
 */
export function nativeCall(call: CachedCall, native: NativeRequest): Promise<void> {
  const { client } = call.context;
  switch (native.operation) {
    case 'chat': {
      const { request } = native;
      return request.stream === false
        ? wholeCall(call, (signal) => client.chat({ ...request, stream: false }, { signal }))
        : streamCall(call, (signal) => client.chat({ ...request, stream: true }, { signal }));
    }
    case 'generate': {
      const { request } = native;
      return request.stream === false
        ? wholeCall(call, (signal) => client.generate({ ...request, stream: false }, { signal }))
        : streamCall(call, (signal) => client.generate({ ...request, stream: true }, { signal }));
    }
    case 'embed':
      return wholeCall(call, (signal) => client.embed(native.request, { signal }));
    case 'embeddings':
      return wholeCall(call, (signal) => client.embeddings(native.request, { signal }));
  }
}
