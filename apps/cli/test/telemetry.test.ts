import path from 'node:path';
import { type ReceivedSpan, startOtlpReceiver } from '@lunar/dev-kit';
import { afterAll, describe, expect, it } from 'vitest';
import { cliEnv, jsonLines, runCli, useHome, useSim } from './helpers.js';

const sim = useSim();
const home = useHome();
const receiver = await startOtlpReceiver();
afterAll(() => receiver.close());

const chat = (question: string) => [
  'chat',
  '--json',
  '--ollama-host',
  sim.url,
  '--memory',
  path.join(home.dir, 'memory.db'),
  question,
];

describe('lunar and OpenTelemetry', () => {
  it('exports each turn, stage, model call and tool call over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set', async () => {
    const result = await runCli(chat('What time is it in Tokyo?'), {
      env: cliEnv(home.dir, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'lunar-test' }),
    });
    expect(result.code).toBe(0);
    // Flushed before the process exited: every span is there now.
    const spans = receiver.spans.filter((span) => span.scope === '@lunar/agent');
    const turn = spans.find((span) => span.name === 'invoke_agent')!;
    expect(turn.parentSpanId).toBe('');
    expect(turn.service).toBe('lunar-test');
    expect(turn.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.provider.name': 'ollama',
      'gen_ai.request.model': 'llama3.2:3b',
    });
    const inTurn = (span: ReceivedSpan) => span.traceId === turn.traceId;
    const stages = spans.filter((span) => inTurn(span) && span.parentSpanId === turn.spanId);
    expect(stages.map((span) => span.attributes['lunar.stage'])).toEqual(
      expect.arrayContaining([
        'input-guards',
        'memory-search',
        'build-prompt',
        'llm',
        'tools',
        'output-guards',
      ]),
    );
    const chats = stages.filter((span) => span.name === 'chat llama3.2:3b');
    expect(chats).toHaveLength(2);
    for (const call of chats) {
      expect(call.kind).toBe(3); // client
      expect(call.attributes['gen_ai.operation.name']).toBe('chat');
      expect(call.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
      expect(call.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
    }
    // The tool call, under the tools stage, with the id its events carried.
    const toolCall = jsonLines(result.stdout).find((event) => event.type === 'tool-call')!;
    const tools = stages.find((span) => span.name === 'tools')!;
    const execute = spans.find((span) => span.name === 'execute_tool current_time')!;
    expect(execute.parentSpanId).toBe(tools.spanId);
    expect(execute.attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'current_time',
      'gen_ai.tool.call.id': toolCall.callId,
    });
    expect(execute.startTimeUnixNano).toBeGreaterThanOrEqual(tools.startTimeUnixNano);
    expect(execute.endTimeUnixNano).toBeLessThanOrEqual(tools.endTimeUnixNano);
  });

  it('answers all the same when the collector does not answer, and says so', async () => {
    const gone = await startOtlpReceiver();
    await gone.close();
    const result = await runCli(chat('Why is the sky blue?'), {
      env: cliEnv(home.dir, {
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${gone.url}/v1/traces`,
        OTEL_EXPORTER_OTLP_TIMEOUT: '1000',
      }),
    });
    expect(result.code).toBe(0);
    expect(jsonLines(result.stdout).at(-1)!.type).toBe('done');
    expect(result.stderr).toContain(`lunar: the traces could not be sent to ${gone.url}/v1/traces`);
  });

  it('exports nothing with OTEL_SDK_DISABLED=true', async () => {
    const before = receiver.spans.length;
    const result = await runCli(chat('Why is the sky blue?'), {
      env: cliEnv(home.dir, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SDK_DISABLED: 'true' }),
    });
    expect(result.code).toBe(0);
    expect(receiver.spans.length).toBe(before);
  });
});
