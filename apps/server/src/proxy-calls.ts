import {
  type CacheMode,
  isDeterministic,
  type LLMCacheStatus,
  type LLMChunk,
  type LLMRequest,
  type LLMRoute,
  type StreamSource,
} from '@lunar/llm-cache';
import type { FastifyBaseLogger } from 'fastify';
import type { ServerContext } from './context.js';
import { goJson } from './go-json.js';
import type { ResponseStream } from './response-stream.js';
import { errorAnswer } from './upstream-error.js';

const NDJSON = 'application/x-ndjson';
const JSON_TYPE = 'application/json; charset=utf-8';

/** One proxied LLM call: where it goes, how the cache treats it, who hears about it. */
export interface ProxyCall {
  context: ServerContext;
  route: LLMRoute;
  request: LLMRequest;
  mode: CacheMode;
  out: ResponseStream;
  log: FastifyBaseLogger;
  startedAt: number;
}

/** The status a failed call reports: `bypass` when the cache would not have kept it, else `miss`. */
function failedStatus(call: ProxyCall): LLMCacheStatus {
  return call.mode === 'bypass' || !isDeterministic(call.request, call.route) ? 'bypass' : 'miss';
}

function seconds(since: number): number {
  return (performance.now() - since) / 1000;
}

/** Answers a failure before any byte was sent: the upstream's status and `{"error": ...}`. */
function sendError(call: ProxyCall, error: unknown, cache: LLMCacheStatus): void {
  if (call.out.gone) return;
  const answer = errorAnswer(error);
  if (answer.status >= 500) call.log.warn({ err: error, status: answer.status }, 'proxied call failed');
  call.out.json(answer.status, { error: answer.error }, { 'x-lunar-cache': cache });
}

/**
 * A streamed chat or generate call through the cache. Headers wait for the first chunk (as
 * Ollama's do); every chunk is written as one NDJSON line as it arrives, each write waiting for the
 * socket; an upstream failure after the first chunk becomes an `{"error": ...}` line, as in Ollama.
 */
export async function streamCall(call: ProxyCall, start: (signal: AbortSignal) => StreamSource<LLMChunk>) {
  const { context, out, route } = call;
  const controller = context.proxied.enter(out.signal);
  let cache = failedStatus(call);
  try {
    const stream = await context.llmCache.stream(call.request, start, {
      mode: call.mode,
      signal: controller.signal,
      route,
    });
    cache = stream.status;
    let first: IteratorResult<LLMChunk>;
    try {
      first = await stream.next();
    } catch (error) {
      const answer = errorAnswer(error);
      // Ollama sends a failure on the stream's first line with status 200.
      if (answer.status !== 500 || (error as { code?: string }).code !== 'OLLAMA_STREAM_ERROR') throw error;
      out.start(200, { 'content-type': NDJSON, 'x-lunar-cache': cache });
      out.end(`${goJson({ error: answer.error })}\n`);
      return;
    }
    out.start(200, { 'content-type': NDJSON, 'x-lunar-cache': cache });
    context.metrics.proxyFirstChunk(route, cache, seconds(call.startedAt));
    let result = first;
    while (!result.done) {
      if (!(await out.write(`${goJson(result.value)}\n`))) {
        await stream.return?.();
        return;
      }
      try {
        result = await stream.next();
      } catch (error) {
        await out.write(`${goJson({ error: errorAnswer(error).error })}\n`);
        break;
      }
    }
    out.end();
    context.metrics.proxyDone(route, cache, seconds(call.startedAt));
  } catch (error) {
    sendError(call, error, cache);
  } finally {
    context.proxied.leave(controller);
  }
}

/** A whole-answer call (`stream: false`, embeddings) through the cache. */
export async function wholeCall(call: ProxyCall, compute: (signal: AbortSignal) => Promise<LLMChunk>) {
  const { context, out, route } = call;
  const controller = context.proxied.enter(out.signal);
  try {
    const { value, status } = await context.llmCache.getOrCompute(call.request, compute, {
      mode: call.mode,
      signal: controller.signal,
      route,
    });
    const text = goJson(value);
    out.start(200, {
      'content-type': JSON_TYPE,
      'content-length': Buffer.byteLength(text),
      'x-lunar-cache': status,
    });
    out.end(text);
    context.metrics.proxyFirstChunk(route, status, seconds(call.startedAt));
    context.metrics.proxyDone(route, status, seconds(call.startedAt));
  } catch (error) {
    sendError(call, error, failedStatus(call));
  } finally {
    context.proxied.leave(controller);
  }
}
