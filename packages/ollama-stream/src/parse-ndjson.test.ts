import { describe, expect, it } from 'vitest';
import { failure, seededRandom } from '../test/helpers.js';
import { parseNdjson } from './parse-ndjson.js';

const encoder = new TextEncoder();

async function* chunks(...parts: Array<string | Uint8Array>): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield typeof part === 'string' ? encoder.encode(part) : part;
}

async function collect(source: AsyncIterable<unknown>): Promise<unknown[]> {
  const values: unknown[] = [];
  for await (const value of source) values.push(value);
  return values;
}

/** A chat stream as Ollama writes it: Go's json.Marshal escapes, emoji, CJK, a tool call, metrics. */
function ollamaChatStream(): string {
  const created = '2025-06-01T12:00:00.123456789Z';
  const pieces = [
    'Hello',
    ' 👋🏽',
    ' 東京の',
    '天気は',
    ' \\u003cb\\u003eclear\\u003c/b\\u003e',
    ' \\u0026 🌤️',
    ' Ünïcödé',
    ' 🇯🇵',
  ];
  const lines = pieces.map(
    (piece) =>
      `{"model":"qwen3:8b","created_at":"${created}","message":{"role":"assistant","content":"${piece}"},"done":false}`,
  );
  lines.push(
    `{"model":"qwen3:8b","created_at":"${created}","message":{"role":"assistant","content":"","thinking":"考えて 🤔"},"done":false}`,
    `{"model":"qwen3:8b","created_at":"${created}","message":{"role":"assistant","content":"","tool_calls":[{"id":"call_a1b2c3d4","function":{"index":0,"name":"get_weather","arguments":{"city":"東京","unit":"°C","note":"☔ \\u003c 5mm"}}}]},"done":false}`,
    `{"model":"qwen3:8b","created_at":"${created}","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","total_duration":5191566416,"load_duration":2154458,"prompt_eval_count":26,"prompt_eval_duration":383809000,"eval_count":298,"eval_duration":4799921000}`,
  );
  return `${lines.join('\n')}\n`;
}

describe('parseNdjson', () => {
  it('parses lines split anywhere, identically, over 1,000 random re-splits (fuzz)', async () => {
    const text = ollamaChatStream();
    const bytes = encoder.encode(text);
    const expected = text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as unknown);
    expect(expected).toHaveLength(11);
    const next = seededRandom(20250601);
    for (let round = 0; round < 1000; round++) {
      const cuts = new Set<number>();
      const count = 1 + Math.floor(next() * 40);
      for (let i = 0; i < count; i++) cuts.add(1 + Math.floor(next() * (bytes.length - 1)));
      const offsets = [0, ...[...cuts].sort((a, b) => a - b), bytes.length];
      const parts = offsets.slice(1).map((end, i) => bytes.slice(offsets[i], end));
      expect(
        await collect(parseNdjson(chunks(...parts))),
        `round ${round}, cuts ${offsets.join(',')}`,
      ).toEqual(expected);
    }
  });

  it('keeps a character whose bytes arrive in separate chunks, one byte per chunk', async () => {
    const bytes = encoder.encode('{"text":"東京🌤️"}\n');
    const parts = [...bytes].map((byte) => Uint8Array.of(byte));
    expect(await collect(parseNdjson(chunks(...parts)))).toEqual([{ text: '東京🌤️' }]);
  });

  it('accepts \\r\\n, blank lines, whitespace-only lines and a last line without a newline', async () => {
    const source = chunks('{"a":1}\r\n\r\n', '\n  \n{"b":', '2}\r\n{"c":3}');
    expect(await collect(parseNdjson(source))).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
  });

  it('yields nothing for an empty source', async () => {
    expect(await collect(parseNdjson(chunks()))).toEqual([]);
  });

  it('accepts plain Uint8Array chunks that are views into a larger buffer', async () => {
    const whole = encoder.encode('xx{"a":1}\n{"b":2}\nyy');
    const view = whole.subarray(2, whole.length - 2);
    expect(await collect(parseNdjson(chunks(view)))).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('names the line number and shows a snippet of a malformed line, after yielding the good ones', async () => {
    const seen: unknown[] = [];
    const error = await failure(
      (async () => {
        for await (const value of parseNdjson(chunks('{"a":1}\n\n{"b":2}\n{"c": nope}\n{"d":4}\n')))
          seen.push(value);
      })(),
    );
    expect(seen).toEqual([{ a: 1 }, { b: 2 }]);
    expect(error.code).toBe('OLLAMA_PROTOCOL_ERROR');
    expect(error.line).toBe(4);
    expect(error.message).toContain('line 4');
    expect(error.message).toContain('{\\"c\\": nope}');
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it('reports a malformed last line without a newline', async () => {
    const error = await failure(collect(parseNdjson(chunks('{"a":1}\n{"b":'))));
    expect(error.line).toBe(2);
  });

  it('cuts a long snippet short', async () => {
    const error = await failure(collect(parseNdjson(chunks(`[${'x'.repeat(500)}\n`))));
    expect(error.message).toContain('xxx...');
    expect(error.message.length).toBeLessThan(250);
  });

  it('rejects a line over maxLineBytes while it is still arriving, without waiting for its end', async () => {
    let pulled = 0;
    async function* endless(): AsyncGenerator<Uint8Array> {
      yield encoder.encode('{"ok":true}\n{"big":"');
      for (;;) {
        pulled++;
        yield new Uint8Array(1024).fill(0x61);
      }
    }
    const seen: unknown[] = [];
    const error = await failure(
      (async () => {
        for await (const value of parseNdjson(endless(), { maxLineBytes: 10_000 })) seen.push(value);
      })(),
    );
    expect(seen).toEqual([{ ok: true }]);
    expect(error.code).toBe('OLLAMA_PROTOCOL_ERROR');
    expect(error.message).toContain('line 2 is longer than maxLineBytes (10000 bytes)');
    expect(pulled).toBe(10);
  });

  it('rejects an oversized line that arrives whole inside one big chunk', async () => {
    const big = `{"a":1}\n{"big":"${'b'.repeat(200)}"}\n{"c":3}\n`;
    const error = await failure(collect(parseNdjson(chunks(big), { maxLineBytes: 100 })));
    expect(error.line).toBe(2);
  });

  it('measures the limit in bytes, not characters', async () => {
    const line = `{"t":"${'東'.repeat(30)}"}`; // 30 characters of 3 bytes each
    await expect(collect(parseNdjson(chunks(`${line}\n`), { maxLineBytes: 99 }))).resolves.toHaveLength(1);
    const error = await failure(collect(parseNdjson(chunks(`${line}\n`), { maxLineBytes: 97 })));
    expect(error.line).toBe(1);
  });

  it('accepts a line exactly at the limit, split across chunks', async () => {
    const line = `{"a":"${'x'.repeat(92)}"}`; // 100 bytes
    const parts = [line.slice(0, 33), line.slice(33, 71), `${line.slice(71)}\n`];
    await expect(collect(parseNdjson(chunks(...parts), { maxLineBytes: 100 }))).resolves.toHaveLength(1);
    await expect(collect(parseNdjson(chunks(...parts), { maxLineBytes: 99 }))).rejects.toThrow('longer than');
  });

  it('closes the source when the consumer breaks out of the loop', async () => {
    let closed = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        for (;;) yield encoder.encode('{"a":1}\n');
      } finally {
        closed = true;
      }
    }
    for await (const _ of parseNdjson(source())) break;
    expect(closed).toBe(true);
  });

  it('closes the source on a malformed line', async () => {
    let closed = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        yield encoder.encode('nope\n');
        for (;;) yield encoder.encode('{"a":1}\n');
      } finally {
        closed = true;
      }
    }
    await failure(collect(parseNdjson(source())));
    expect(closed).toBe(true);
  });

  it('throws a TypeError naming maxLineBytes when it is not a positive integer', () => {
    expect(() => parseNdjson(chunks(), { maxLineBytes: 0 })).toThrow(
      new TypeError('Expected `maxLineBytes` to be a positive integer, got 0'),
    );
    expect(() => parseNdjson(chunks(), { maxLineBytes: 1.5 })).toThrow(TypeError);
  });
});
