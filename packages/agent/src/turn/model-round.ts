import type { LLMCache } from '@lunar/llm-cache';
import type { ChatRequest, Message, OllamaClient, ToolCall } from '@lunar/ollama-stream';
import type { AgentEvent } from '../agent/events.js';
import type { Profiler } from '../profile/profiler.js';
import { llmRound, type RoundResult } from './llm-round.js';
import type { OutputFilter } from './output-stage.js';
import { stageEvent } from './stage-event.js';

export interface ModelRoundContext {
  /** Counted from 1. */
  round: number;
  client: OllamaClient;
  /** Undefined when the `llmCache` optimization is off. */
  cache: LLMCache | undefined;
  /** Everything of the chat request but its messages. */
  request: Omit<ChatRequest, 'messages' | 'stream'>;
  /** The `streaming` optimization. */
  streaming: boolean;
  signal: AbortSignal;
  profiler: Profiler;
  output: OutputFilter;
  /** Called for each tool call the moment it arrives; returns the id its events carry. */
  onToolCall(call: ToolCall): string;
}

const ignore = (): void => {};
const ms = (nanoseconds: number | undefined) => (nanoseconds ?? 0) / 1e6;

/**
 * One model round: the `llm` stage (text through the output guards to the user as it streams,
 * tool calls announced as they arrive) and the `parse-tool-calls` stage. Returns the round's
 * result and the assistant message that joins the conversation.
 */
export async function* modelRound(
  context: ModelRoundContext,
  messages: Message[],
): AsyncGenerator<AgentEvent, { result: RoundResult; assistant: Message }, undefined> {
  const { round, profiler, output } = context;
  const timer = profiler.stage('llm', round);
  const call = llmRound({
    client: context.client,
    cache: context.cache,
    request: { ...context.request, messages },
    streaming: context.streaming,
    signal: context.signal,
  });
  // Whatever the round returns, stopping it early returns nothing.
  const stoppable: AsyncGenerator<unknown, unknown> = call;
  let finished = false;
  try {
    let step = await call.next();
    while (!step.done) {
      const event = step.value;
      if (event.type === 'text') {
        const shown = output.push(event.text);
        if (shown) yield { type: 'text-delta', text: shown };
      } else {
        const fn = event.call.function;
        const callId = context.onToolCall(event.call);
        yield { type: 'tool-call', round, callId, name: fn?.name ?? '', arguments: fn?.arguments };
      }
      step = await call.next();
    }
    finished = true;
    const result = step.value;
    const rest = output.flush();
    if (rest) yield { type: 'text-delta', text: rest };
    const metrics = result.metrics;
    profiler.round({
      reachedOllama: result.cache === 'miss' || result.cache === 'bypass' || result.cache === 'off',
      inputTokens: metrics?.prompt_eval_count ?? 0,
      outputTokens: metrics?.eval_count ?? 0,
      ollama: {
        loadMs: ms(metrics?.load_duration),
        promptEvalMs: ms(metrics?.prompt_eval_duration),
        evalMs: ms(metrics?.eval_duration),
        totalMs: ms(metrics?.total_duration),
      },
    });
    yield stageEvent(
      timer.end({
        cache: result.cache,
        detail: {
          timeToFirstTokenMs: result.firstChunkMs,
          doneReason: result.doneReason,
          toolCalls: result.toolCalls.length,
          promptTokens: metrics?.prompt_eval_count,
          outputTokens: metrics?.eval_count,
          ollamaLoadMs: ms(metrics?.load_duration),
          ollamaPromptEvalMs: ms(metrics?.prompt_eval_duration),
          ollamaEvalMs: ms(metrics?.eval_duration),
          streaming: context.streaming,
        },
      }),
    );

    const parseTimer = profiler.stage('parse-tool-calls', round);
    const assistant: Message = { role: 'assistant', content: result.content };
    if (result.toolCalls.length > 0) assistant.tool_calls = result.toolCalls;
    yield stageEvent(parseTimer.end({ detail: { calls: result.toolCalls.length } }));
    return { result, assistant };
  } finally {
    // Left mid-answer (an error, or the consumer stopped reading): the model call stops too.
    if (!finished) await stoppable.return(undefined).catch(ignore);
  }
}
