import { describe, expect, it } from 'vitest';
import { isOllamaProxyError } from '../errors.js';
import { MAX_EVENT_BYTES, sseEvents } from './sse-events.js';

async function collect(chunks: Array<string | Uint8Array>): Promise<string[]> {
  async function* body() {
    for (const chunk of chunks) yield typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
  }
  const events: string[] = [];
  for await (const event of sseEvents(body())) events.push(event);
  return events;
}

describe('sseEvents', () => {
  it('reads data payloads across chunk boundaries and split UTF-8', async () => {
    const bytes = new TextEncoder().encode('data: {"a":"é"}\n\n');
    const split = bytes.indexOf(0xc3) + 1;
    expect(await collect([bytes.subarray(0, split), bytes.subarray(split), 'data: [DO', 'NE]\n\n'])).toEqual([
      '{"a":"é"}',
      '[DONE]',
    ]);
    expect(await collect([': comment\nevent: x\ndata: 1\r\n\r\ndata:2\ndata: 3\n\n', 'data: tail'])).toEqual([
      '1',
      '2\n3',
      'tail',
    ]);
  });

  it('refuses an event past its bound', async () => {
    const huge = `data: ${'x'.repeat(MAX_EVENT_BYTES)}`;
    const error = await collect([huge.slice(0, MAX_EVENT_BYTES / 2), huge.slice(MAX_EVENT_BYTES / 2)]).catch(
      (caught: unknown) => caught,
    );
    expect(isOllamaProxyError(error, 'OLLAMA_PROXY_BAD_ANSWER')).toBe(true);
  });
});
