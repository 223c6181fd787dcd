import { context, SpanKind, trace } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  NodeTracerProvider,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, TRACER_NAME } from '../src/index.js';
import { stockTool, useSim, weatherTool } from './helpers.js';

const shared = useSim();
const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

beforeAll(() => {
  // The SDK as an application registers it: the global tracer provider and a context manager.
  provider.register();
});
afterAll(async () => {
  trace.disable();
  context.disable();
  await provider.shutdown();
});

const ms = (time: [number, number]) => time[0] * 1e3 + time[1] / 1e6;
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe('the turn as OpenTelemetry spans', () => {
  it('sends the turn, each stage, each model call and each tool call, with GenAI attributes', async () => {
    exporter.reset();
    const agent = createAgent({
      model: 'llama3.2:3b',
      client: shared.client,
      tools: [weatherTool(), stockTool()],
      options: { temperature: 0 },
    });
    const outer = trace.getTracer('test').startSpan('POST /v1/turns');
    const answer = await context.with(trace.setSpan(context.active(), outer), () =>
      agent.ask('What is the weather in Paris and the stock price of ACME?', { sessionId: 'me' }),
    );
    outer.end();
    const spans = exporter
      .getFinishedSpans()
      .filter((span) => span.instrumentationScope.name === TRACER_NAME);
    const turn = spans.find((span) => span.name === 'invoke_agent')!;

    // The turn goes under the span current when it started.
    expect(parentOf(turn)).toBe(outer.spanContext().spanId);
    expect(turn.spanContext().traceId).toBe(outer.spanContext().traceId);
    expect(turn.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.provider.name': 'ollama',
      'gen_ai.request.model': 'llama3.2:3b',
      'gen_ai.conversation.id': 'me',
      'gen_ai.usage.input_tokens': answer.profile.tokens.input,
      'gen_ai.usage.output_tokens': answer.profile.tokens.output,
    });
    // One span per stage of the profile, each under the turn, at the profile's times.
    const children = spans.filter((span) => parentOf(span) === turn.spanContext().spanId);
    expect(children).toHaveLength(answer.profile.stages.length);
    const turnStart = ms(turn.startTime);
    for (const [index, stage] of answer.profile.stages.entries()) {
      const span = children[index]!;
      expect(span.attributes['lunar.stage']).toBe(stage.name);
      expect(ms(span.startTime) - turnStart).toBeCloseTo(stage.startMs, 1);
      expect(ms(span.duration)).toBeCloseTo(stage.durationMs, 1);
    }
    const chats = children.filter((span) => span.name === 'chat llama3.2:3b');
    expect(chats).toHaveLength(2);
    expect(chats[0]!.kind).toBe(SpanKind.CLIENT);
    expect(chats[0]!.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'llama3.2:3b',
      'gen_ai.request.temperature': 0,
      'gen_ai.response.finish_reasons': ['stop'],
      'lunar.round': 1,
      'lunar.cache': 'miss',
    });
    expect(chats[0]!.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
    expect(chats[0]!.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
    // Each tool call under the tools stage that covers it, with its call id.
    const tools = children.filter((span) => span.name === 'tools');
    const calls = spans.filter((span) => span.name.startsWith('execute_tool '));
    expect(calls.map((span) => span.name).sort()).toEqual([
      'execute_tool get_stock_price',
      'execute_tool get_weather',
    ]);
    for (const call of calls) {
      const parent = tools.find((span) => span.spanContext().spanId === parentOf(call))!;
      expect(ms(call.startTime)).toBeGreaterThanOrEqual(ms(parent.startTime));
      expect(ms(call.endTime)).toBeLessThanOrEqual(ms(parent.endTime) + 1e-6);
      const id = call.attributes['gen_ai.tool.call.id'];
      expect(answer.toolResults.map((result) => result.callId)).toContain(id);
      expect(call.attributes).toMatchObject({
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.type': 'function',
        'gen_ai.tool.name': call.name.slice('execute_tool '.length),
      });
    }
  });

  it('marks a failed turn as an error', async () => {
    exporter.reset();
    const agent = createAgent({ model: 'no-such-model', client: shared.client });
    await expect(agent.ask('Hello?')).rejects.toThrow();
    const turn = exporter.getFinishedSpans().find((span) => span.name === 'invoke_agent')!;
    expect(turn.attributes['error.type']).toBe('AGENT_MODEL_NOT_FOUND');
    expect(turn.status.code).toBe(2);
  });
});
