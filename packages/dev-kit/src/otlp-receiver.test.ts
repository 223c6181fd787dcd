import { afterAll, describe, expect, it } from 'vitest';
import { startOtlpReceiver } from './otlp-receiver.js';

const receiver = await startOtlpReceiver();
afterAll(() => receiver.close());

const body = {
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'lunar' } }] },
      scopeSpans: [
        {
          scope: { name: '@lunar/agent' },
          spans: [
            {
              traceId: 'a'.repeat(32),
              spanId: 'b'.repeat(16),
              parentSpanId: '',
              name: 'execute_tool get_weather',
              kind: 1,
              startTimeUnixNano: '1700000000000000000',
              endTimeUnixNano: '1700000000250000000',
              status: { code: 2 },
              attributes: [
                { key: 'gen_ai.tool.name', value: { stringValue: 'get_weather' } },
                { key: 'lunar.round', value: { intValue: '1' } },
                { key: 'lunar.started_early', value: { boolValue: true } },
                {
                  key: 'gen_ai.response.finish_reasons',
                  value: { arrayValue: { values: [{ stringValue: 'stop' }] } },
                },
              ],
            },
          ],
        },
      ],
    },
  ],
};

describe('startOtlpReceiver', () => {
  it('keeps the spans of an OTLP/JSON export, attributes decoded', async () => {
    const response = await fetch(`${receiver.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    expect(receiver.spans).toEqual([
      expect.objectContaining({
        name: 'execute_tool get_weather',
        service: 'lunar',
        scope: '@lunar/agent',
        parentSpanId: '',
        statusCode: 2,
        endTimeUnixNano: 1700000000250000000n,
        attributes: {
          'gen_ai.tool.name': 'get_weather',
          'lunar.round': 1,
          'lunar.started_early': true,
          'gen_ai.response.finish_reasons': ['stop'],
        },
      }),
    ]);
  });

  it('refuses protobuf and other routes', async () => {
    const protobuf = await fetch(`${receiver.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: new Uint8Array([1, 2]),
    });
    expect(protobuf.status).toBe(415);
    expect((await fetch(`${receiver.url}/v1/metrics`, { method: 'POST' })).status).toBe(404);
  });
});
