import {
  type Attributes,
  type Context,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { type StageRecord, type ToolSpan, type TurnProfile, toolSpansOf } from './profile.js';

/** The instrumentation scope of the agent's spans. */
export const TRACER_NAME = '@lunar/agent';

/** Who ran the turn, for its spans. */
export interface TurnSpanContext {
  model: string;
  /** The session: `gen_ai.conversation.id`. */
  sessionId: string;
  /** The context the turn started in: its span's parent (an HTTP request's span, say). */
  parent: Context;
  /** `performance.now()` when the turn started: the profile's offsets count from it. */
  startedAt: number;
  /** `options.temperature` sent with every call, when set. */
  temperature?: number;
  /** How the turn failed, when it did: `error.type` is the code. */
  error?: { code: string; message: string };
}

const PROVIDER = 'ollama';

/**
 * The turn's profile as OpenTelemetry spans, through `@opentelemetry/api`: nothing happens unless
 * the application registered an SDK (the API alone is a no-op). One `invoke_agent` span for the
 * turn; under it a span per stage; the `llm` stages are `chat {model}` client spans; each tool
 * call is an `execute_tool {name}` span under the `tools` stage that covers it. Attribute names follow
 * the OpenTelemetry GenAI semantic conventions (`gen_ai.*`); Lunar's own facts are `lunar.*`.
 * The spans are made once the turn ended, with the times the profile measured, so they say
 * exactly what the profile says.
 */
export function recordTurnSpans(profile: TurnProfile, turn: TurnSpanContext): void {
  const tracer = trace.getTracer(TRACER_NAME);
  // performance.now() values are offsets from performance.timeOrigin; spans want wall-clock time.
  const origin = performance.timeOrigin + turn.startedAt;
  const at = (offsetMs: number) => origin + offsetMs;
  const turnSpan = tracer.startSpan(
    'invoke_agent',
    {
      kind: SpanKind.INTERNAL,
      startTime: at(0),
      attributes: {
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.provider.name': PROVIDER,
        'gen_ai.request.model': turn.model,
        'gen_ai.conversation.id': turn.sessionId,
        'gen_ai.usage.input_tokens': profile.tokens.input,
        'gen_ai.usage.output_tokens': profile.tokens.output,
        'lunar.ollama_calls': profile.ollamaCalls,
        'lunar.rounds': profile.rounds,
        'lunar.tool_calls': profile.toolCalls,
        ...(profile.timeToFirstTokenMs === null
          ? {}
          : { 'lunar.time_to_first_token_ms': profile.timeToFirstTokenMs }),
        ...(turn.error ? { 'error.type': turn.error.code } : {}),
      },
    },
    turn.parent,
  );
  // No SDK registered (or this trace not sampled): nothing more to make.
  if (!turnSpan.isRecording()) {
    turnSpan.end();
    return;
  }
  if (turn.error) turnSpan.setStatus({ code: SpanStatusCode.ERROR, message: turn.error.message });
  const inTurn = trace.setSpan(turn.parent, turnSpan);
  for (const stage of profile.stages) {
    const span = tracer.startSpan(
      stage.name === 'llm' ? `chat ${turn.model}` : stage.name,
      {
        kind: stage.name === 'llm' ? SpanKind.CLIENT : SpanKind.INTERNAL,
        startTime: at(stage.startMs),
        attributes: stage.name === 'llm' ? chatAttributes(stage, turn) : stageAttributes(stage),
      },
      inTurn,
    );
    if (stage.name === 'tools') {
      const inTools = trace.setSpan(inTurn, span);
      for (const call of toolSpansOf(stage, profile.toolSpans)) {
        recordToolSpan(call, inTools, at);
      }
    }
    span.end(at(stage.startMs + stage.durationMs));
  }
  turnSpan.end(at(profile.totalMs));
}

function stageAttributes(stage: StageRecord): Attributes {
  return {
    'lunar.stage': stage.name,
    ...(stage.round === undefined ? {} : { 'lunar.round': stage.round }),
    ...(stage.cache === undefined ? {} : { 'lunar.cache': stage.cache }),
    ...(stage.waitingFor === undefined ? {} : { 'lunar.waiting_for': stage.waitingFor }),
    'lunar.critical': stage.critical === true,
  };
}

function chatAttributes(stage: StageRecord, turn: TurnSpanContext): Attributes {
  const detail = stage.detail ?? {};
  const number = (key: string) => (typeof detail[key] === 'number' ? (detail[key] as number) : undefined);
  const input = number('promptTokens');
  const output = number('outputTokens');
  const firstChunk = number('timeToFirstTokenMs');
  return {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': PROVIDER,
    'gen_ai.request.model': turn.model,
    ...(turn.temperature === undefined ? {} : { 'gen_ai.request.temperature': turn.temperature }),
    ...(input === undefined ? {} : { 'gen_ai.usage.input_tokens': input }),
    ...(output === undefined ? {} : { 'gen_ai.usage.output_tokens': output }),
    ...(typeof detail.doneReason === 'string'
      ? { 'gen_ai.response.finish_reasons': [detail.doneReason] }
      : {}),
    ...(firstChunk === undefined ? {} : { 'gen_ai.response.time_to_first_chunk': firstChunk / 1000 }),
    ...stageAttributes(stage),
  };
}

function recordToolSpan(call: ToolSpan, parent: Context, at: (offsetMs: number) => number): void {
  const span: Span = trace.getTracer(TRACER_NAME).startSpan(
    `execute_tool ${call.name}`,
    {
      kind: SpanKind.INTERNAL,
      startTime: at(call.startMs),
      attributes: {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': call.name,
        'gen_ai.tool.call.id': call.callId,
        'gen_ai.tool.type': 'function',
        'lunar.round': call.round,
        'lunar.cache': call.cache,
        'lunar.started_early': call.early,
        ...(call.ok ? {} : { 'error.type': call.errorCode ?? 'failed' }),
      },
    },
    parent,
  );
  if (!call.ok)
    span.setStatus({ code: SpanStatusCode.ERROR, message: `${call.name} ${call.errorCode ?? 'failed'}` });
  span.end(at(call.startMs + call.durationMs));
}
