import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, MODEL, postJson, startHarness } from './helpers.js';

// Every JSON body is bounded before any work that grows with its shape: its size, then its depth,
// then the route's own checks. A hostile body gets a 400 or 413 that names the limit, never a 500.

let harness: Harness;
const errors: string[] = [];

beforeAll(async () => {
  const logger = pino({ level: 'error' }, { write: (line: string) => errors.push(line) });
  harness = await startHarness({ logger });
});

afterAll(async () => {
  await harness.close();
});

/** `{"a":{"a":...{"a":1}}}`, `levels` objects deep. */
function nested(levels: number): string {
  return `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
}

async function refusal(path: string, body: string) {
  const response = await postJson(`${harness.url}${path}`, body);
  return { status: response.status, body: (await response.json()) as { error: string; code: string } };
}

describe('bounded JSON bodies', () => {
  it('refuses memory metadata nested 2,000 levels with a 400 naming the limit, before parsing it', async () => {
    const answer = await refusal('/v1/memories', `{"text":"a note","metadata":${nested(2_000)}}`);
    expect(answer).toEqual({
      status: 400,
      body: {
        code: 'SERVER_BODY_TOO_LARGE',
        error: 'request body nested more than 64 levels deep',
      },
    });
    expect(errors).toEqual([]);
  });

  it('leaves metadata under that depth to the store, which names its own limit', async () => {
    const answer = await refusal('/v1/memories', `{"text":"a note","metadata":${nested(20)}}`);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 'MEMORY_INVALID_INPUT' });
    expect(answer.body.error).toContain('nested deeper than 16 levels');
  });

  it('bounds every route the same way: a turn, and strings with brackets are not nesting', async () => {
    const deep = await refusal('/v1/turns', `{"message":"hi","options":${nested(100)}}`);
    expect(deep).toMatchObject({ status: 400, body: { code: 'SERVER_BODY_TOO_LARGE' } });
    const wide = await refusal(
      '/v1/turns',
      `{"message":"hi","options":[${Array(2_000).fill('{}').join(',')}]}`,
    );
    expect(wide).toEqual({
      status: 400,
      body: {
        code: 'SERVER_BODY_TOO_LARGE',
        error: 'request body made of more than 2000 objects and arrays',
      },
    });
    // Brackets inside a string (escaped quotes too) count for nothing.
    const text = JSON.stringify({ text: `[[[[{{{{ \\" ${'['.repeat(100)}`, metadata: { note: '}}}]]]' } });
    const added = await postJson(`${harness.url}/v1/memories`, text);
    expect(added.status).toBe(201);
  });

  it('refuses a memory body past its route limit with a 413 naming it', async () => {
    const answer = await refusal('/v1/memories', JSON.stringify({ text: 'x'.repeat(300 * 1024) }));
    expect(answer).toEqual({
      status: 413,
      body: { code: 'SERVER_BODY_TOO_LARGE', error: 'request body too large: more than 262144 bytes' },
    });
  });

  it('answers JSON that does not parse, and a prototype key, with a 400 in words', async () => {
    const broken = await refusal('/v1/turns', '{"message": ');
    expect(broken).toMatchObject({ status: 400, body: { code: 'SERVER_INVALID_REQUEST' } });
    expect(broken.body.error).toMatch(/^invalid request body: /);
    const poisoned = await refusal('/v1/memories', '{"text":"x","__proto__":{"admin":true}}');
    expect(poisoned).toMatchObject({ status: 400, body: { code: 'SERVER_INVALID_REQUEST' } });
    expect(errors).toEqual([]);
  });

  it('relays a proxied chat past the limits to Ollama unparsed and uncached; one within them is cached', async () => {
    const chat = (count: number) =>
      `{"model":"${MODEL}","stream":false,"options":{"temperature":0},"messages":[${Array(count)
        .fill('{"role":"user","content":"Hello."}')
        .join(',')}]}`;
    const before = harness.sim.stats().requests['/api/chat'] ?? 0;
    for (let ask = 0; ask < 2; ask++) {
      const response = await postJson(`${harness.url}/api/chat`, chat(3_000));
      expect(response.status).toBe(200);
      expect(response.headers.get('x-lunar-cache')).toBe('bypass');
      expect(await response.json()).toMatchObject({ done: true });
    }
    const caches: Array<string | null> = [];
    for (let ask = 0; ask < 2; ask++) {
      const response = await postJson(`${harness.url}/api/chat`, chat(500));
      expect(response.status).toBe(200);
      caches.push(response.headers.get('x-lunar-cache'));
      await response.text();
    }
    expect(caches).toEqual(['miss', 'hit']);
    expect((harness.sim.stats().requests['/api/chat'] ?? 0) - before).toBe(3);
    expect(errors).toEqual([]);
  });
});
