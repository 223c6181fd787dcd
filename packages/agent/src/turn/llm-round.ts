import type { LLMCache } from '@lunar/llm-cache';
import type {
  CacheStatus,
  ChatRequest,
  ChatResponse,
  Metrics,
  OllamaClient,
  ToolCall,
} from '@lunar/ollama-stream';

/** What a round yields while the model answers. */
export type RoundEvent = { type: 'text'; text: string } | { type: 'tool-call'; call: ToolCall };

export interface RoundResult {
  content: string;
  toolCalls: ToolCall[];
  doneReason: string | undefined;
  cache: CacheStatus;
  /** From the start of the round to the first chunk, in ms. */
  firstChunkMs: number | undefined;
  /** Ollama's metrics from the final chunk (recorded ones for a cache hit). */
  metrics: Metrics | undefined;
}

export interface RoundInput {
  client: OllamaClient;
  /** Undefined when the `llmCache` optimization is off. */
  cache: LLMCache | undefined;
  request: ChatRequest;
  streaming: boolean;
  signal: AbortSignal;
}

/** A tool call with an id: the model's own, or one in Ollama's `call_xxxxxxxx` form when it sent none. */
function withId(call: ToolCall): ToolCall {
  if (call.id) return call;
  const digits = Math.floor(Math.random() * 36 ** 8)
    .toString(36)
    .padStart(8, '0');
  return { ...call, id: `call_${digits}` };
}

const METRIC_KEYS = [
  'total_duration',
  'load_duration',
  'prompt_eval_count',
  'prompt_eval_duration',
  'eval_count',
  'eval_duration',
] as const satisfies ReadonlyArray<keyof Metrics>;

/** Ollama's metrics from a final chunk (or a whole answer), the ones it sent. */
function metricsOf(chunk: ChatResponse): Metrics {
  const metrics: Metrics = {};
  for (const key of METRIC_KEYS) {
    const value = chunk[key];
    if (value !== undefined) metrics[key] = value;
  }
  return metrics;
}

/**
 * One model call: streamed (text and tool calls yielded the moment their chunk arrives) or whole,
 * through the LLM cache when it is on.
 */
export async function* llmRound(input: RoundInput): AsyncGenerator<RoundEvent, RoundResult> {
  const { client, cache, request, signal } = input;
  const started = performance.now();
  let firstChunkMs: number | undefined;
  let status: CacheStatus = cache ? 'miss' : 'off';
  let content = '';
  let doneReason: string | undefined;
  let metrics: Metrics | undefined;
  const toolCalls: ToolCall[] = [];

  if (!input.streaming) {
    const whole = { ...request, stream: false as const };
    const compute = (callSignal: AbortSignal) => client.chat(whole, { signal: callSignal });
    let answer: ChatResponse;
    if (cache) {
      const served = await cache.getOrCompute(whole, compute, { signal });
      answer = served.value;
      status = served.status;
    } else {
      answer = await compute(signal);
    }
    firstChunkMs = performance.now() - started;
    content = answer.message?.content ?? '';
    if (content) yield { type: 'text', text: content };
    for (const received of answer.message?.tool_calls ?? []) {
      const call = withId(received);
      toolCalls.push(call);
      yield { type: 'tool-call', call };
    }
    return {
      content,
      toolCalls,
      doneReason: answer.done_reason,
      cache: status,
      firstChunkMs,
      metrics: metricsOf(answer),
    };
  }

  const streamed = { ...request, stream: true as const };
  let source: AsyncIterable<ChatResponse>;
  if (cache) {
    const served = await cache.stream(
      streamed,
      (callSignal) => client.chat(streamed, { signal: callSignal }),
      {
        signal,
      },
    );
    status = served.status;
    source = served;
  } else {
    source = client.chat(streamed, { signal });
  }
  for await (const chunk of source) {
    firstChunkMs ??= performance.now() - started;
    const message = chunk.message;
    if (message?.content) {
      content += message.content;
      yield { type: 'text', text: message.content };
    }
    for (const received of message?.tool_calls ?? []) {
      const call = withId(received);
      toolCalls.push(call);
      yield { type: 'tool-call', call };
    }
    if (chunk.done) {
      doneReason = chunk.done_reason;
      metrics = metricsOf(chunk);
    }
  }
  // A stream cut short by our own abort must not pass for a finished answer.
  signal.throwIfAborted();
  return { content, toolCalls, doneReason, cache: status, firstChunkMs, metrics };
}
