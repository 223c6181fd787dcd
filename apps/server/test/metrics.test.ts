import { waitFor } from '@lunar/dev-kit';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { MODEL, postJson, startHarness } from './helpers.js';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the Prometheus text format line by line; any line that does not parse fails the test. */
function parsePrometheus(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = /^# TYPE ([a-zA-Z_:][\w:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      types.set(type[1]!, type[2]!);
      continue;
    }
    if (/^# HELP [a-zA-Z_:][\w:]* .*$/.test(line)) continue;
    const sample = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (-?[\d.]+(?:e[+-]?\d+)?|NaN|\+Inf|-Inf)$/.exec(line);
    expect(sample, `unparsable line: ${line}`).not.toBeNull();
    const labels: Record<string, string> = {};
    for (const [, key, value] of sample![2]?.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g) ?? [])
      labels[key!] = value!;
    samples.push({ name: sample![1]!, labels, value: Number(sample![3]) });
  }
  return { samples, types };
}

function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find(
    (sample) =>
      sample.name === name && Object.entries(labels).every(([key, wanted]) => sample.labels[key] === wanted),
  )?.value;
}

describe('GET /metrics', () => {
  it('parses as Prometheus text and counts what was done', async () => {
    const harness = await startHarness();
    try {
      const chat = {
        model: MODEL,
        messages: [{ role: 'user', content: 'Hi there' }],
        options: { temperature: 0 },
      };
      for (let i = 0; i < 3; i++) await (await postJson(`${harness.url}/api/chat`, chat)).text();
      await (await postJson(`${harness.url}/v1/turns`, { message: 'Why is the sky blue?' })).text();
      await (
        await postJson(`${harness.url}/v1/turns`, { message: 'Why is the grass green?', stream: false })
      ).text();
      await postJson(`${harness.url}/v1/turns`, {});
      await fetch(`${harness.url}/nowhere`);

      const response = await fetch(`${harness.url}/metrics`);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const { samples, types } = parsePrometheus(await response.text());
      const requests = (route: string, status: string, method = 'POST') =>
        value(samples, 'lunar_http_requests_total', { method, route, status });
      expect(requests('/api/chat', '200')).toBe(3);
      expect(requests('/v1/turns', '200')).toBe(2);
      expect(requests('/v1/turns', '400')).toBe(1);
      // Unknown routes go to the host, which answers them (here 404).
      expect(requests('/*', '404', 'GET')).toBe(1);
      expect(types.get('lunar_http_requests_total')).toBe('counter');
      // One miss for the proxied chat and one per turn; the two repeated chats are hits.
      expect(value(samples, 'lunar_llm_cache_hits_total')).toBe(2);
      expect(value(samples, 'lunar_llm_cache_misses_total')).toBe(3);
      expect(value(samples, 'lunar_turn_time_to_first_token_seconds_count')).toBe(2);
      expect(value(samples, 'lunar_turn_duration_seconds_count', { outcome: 'done' })).toBe(2);
      expect(value(samples, 'lunar_stage_duration_seconds_count', { stage: 'input-guards' })).toBe(2);
      expect(value(samples, 'lunar_stage_duration_seconds_count', { stage: 'llm' })).toBe(2);
      expect(
        value(samples, 'lunar_proxy_time_to_first_chunk_seconds_count', { route: '/api/chat', cache: 'hit' }),
      ).toBe(2);
      expect(value(samples, 'lunar_turns_in_flight')).toBe(0);
      expect(value(samples, 'lunar_ollama_up', { host: harness.sim.url })).toBe(1);
      expect(value(samples, 'lunar_ollama_connections', { host: harness.sim.url })).toBeGreaterThan(0);
      // Nothing runs now: every open connection is idle, nothing waits for one, the host is in rotation.
      expect(value(samples, 'lunar_ollama_free_connections', { host: harness.sim.url })).toBe(
        value(samples, 'lunar_ollama_connections', { host: harness.sim.url }),
      );
      expect(value(samples, 'lunar_ollama_queued', { host: harness.sim.url })).toBe(0);
      expect(value(samples, 'lunar_ollama_down_until_seconds', { host: harness.sim.url })).toBe(0);
      expect(types.get('lunar_ollama_queued')).toBe('gauge');
      expect(value(samples, 'lunar_ollama_requests_total', { host: harness.sim.url })).toBeGreaterThanOrEqual(
        3,
      );
      expect(value(samples, 'lunar_llm_cache_entries')).toBe(3);
      expect(value(samples, 'lunar_llm_cache_bytes')).toBeGreaterThan(0);
      expect(value(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    } finally {
      await harness.close();
    }
  });
});

describe('a client that leaves before the end of its answer', () => {
  it('is counted as 499, in the metrics and in the log, on the proxy and on turns', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const harness = await startHarness(
      { logger },
      {
        parallel: 2,
        latency: { tokensPerSecond: 100 },
        models: [
          { name: MODEL, answerTokens: 2_000 },
          { name: 'nomic-embed-text', capabilities: ['embedding'] },
        ],
      },
    );
    try {
      const leave = async (path: string, body: unknown) => {
        const controller = new AbortController();
        const response = await postJson(`${harness.url}${path}`, body, {}, controller.signal);
        expect(response.status).toBe(200);
        const reader = response.body!.getReader();
        await reader.read(); // the answer has begun: its status, 200, is sent
        controller.abort();
        await reader.closed.catch(() => undefined);
      };
      await leave('/api/chat', { model: MODEL, messages: [{ role: 'user', content: 'A long story.' }] });
      await leave('/v1/turns', { message: 'Tell me a long story.' });
      await waitFor(() => harness.sim.stats().clientDisconnects === 2);
      const { samples } = parsePrometheus(await (await fetch(`${harness.url}/metrics`)).text());
      const requests = (route: string, status: string) =>
        value(samples, 'lunar_http_requests_total', { method: 'POST', route, status });
      for (const route of ['/api/chat', '/v1/turns']) {
        expect(requests(route, '499'), route).toBe(1);
        expect(requests(route, '200'), route).toBeUndefined();
      }
      const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      for (const route of ['/api/chat', '/v1/turns']) {
        expect(logged).toContainEqual(
          expect.objectContaining({
            msg: 'the client left before the answer ended',
            route,
            status: 499,
            answered: 200,
          }),
        );
      }
    } finally {
      await harness.close();
    }
  });
});
